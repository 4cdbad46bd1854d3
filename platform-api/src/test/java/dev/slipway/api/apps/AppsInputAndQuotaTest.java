package dev.slipway.api.apps;

import static dev.slipway.api.apps.AppsApiTest.apps;
import static dev.slipway.api.apps.AppsApiTest.deployment;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.KeycloakAdmin;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input and quotas are refused with a named reason and write nothing; concurrent deploys number cleanly. */
@QuarkusTest
class AppsInputAndQuotaTest {

    @BeforeAll
    static void images() {
        AppsApiTest.publicImages();
    }

    private static long releasesOf(String tenant) {
        return Db.count("SELECT count(*) FROM releases r JOIN apps a ON a.id = r.app_id JOIN tenants t"
                + " ON t.id = a.tenant_id WHERE t.name = ?", tenant);
    }

    private static long auditOf(String tenant) {
        return Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ?", tenant);
    }

    private static Map<String, Object> with(Consumer<Map<String, Object>> change) {
        Map<String, Object> body = new HashMap<>(deployment("demo/web:1", 1));
        change.accept(body);
        return body;
    }

    private static Map<String, Object> resources(Object cpu, Object memoryMb, Object pids) {
        Map<String, Object> r = new HashMap<>();
        r.put("cpu", cpu);
        r.put("memoryMb", memoryMb);
        r.put("pids", pids);
        return r;
    }

    @Test
    void everyInvalidFieldIsNamedAndNothingIsWritten() {
        TestUser owner = TestUser.create("validator");
        String tenant = Api.createTenant(owner, "valid");
        owner.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(201);
        long audit = auditOf(tenant);
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("image", with(b -> b.put("image", "UPPER/Case:1")));
        bad.put("image ", with(b -> b.put("image", "")));
        bad.put("resources.cpu", with(b -> b.put("resources", resources(0.01, 128, 256))));
        bad.put("resources.cpu ", with(b -> b.put("resources", resources(16.5, 128, 256))));
        bad.put("resources.memoryMb", with(b -> b.put("resources", resources(0.5, 8, 256))));
        bad.put("resources.memoryMb ", with(b -> b.put("resources", resources(0.5, 65537, 256))));
        bad.put("resources.pids", with(b -> b.put("resources", resources(0.5, 128, 15))));
        bad.put("resources.pids ", with(b -> b.put("resources", resources(0.5, 128, 70000))));
        bad.put("replicas", with(b -> b.put("replicas", 101)));
        bad.put("replicas ", with(b -> b.put("replicas", -1)));
        bad.put("port", with(b -> b.put("port", 0)));
        bad.put("port ", with(b -> b.put("port", 65536)));
        bad.put("env", with(b -> b.put("env", Map.of("1BAD", "x"))));
        bad.put("env ", with(b -> b.put("env", Map.of("has-dash", "x"))));
        bad.put("command", with(b -> b.put("command", List.of())));
        bad.put("healthCheck.path", with(b -> b.put("healthCheck", Map.of("path", "no-slash"))));
        bad.put("healthCheck.timeoutSeconds", with(b -> b.put("healthCheck",
                Map.of("path", "/", "intervalSeconds", 2, "timeoutSeconds", 5))));
        bad.put("resources.unknown", with(b -> b.put("resources", Map.of("cpu", 0.5, "gpus", 1))));
        bad.put("unknown", with(b -> b.put("volumes", List.of("/data"))));
        bad.put("wrong type", with(b -> b.put("replicas", "many")));
        for (Map.Entry<String, Map<String, Object>> c : bad.entrySet()) {
            String field = c.getKey().trim();
            var response = owner.api().body(c.getValue()).post(apps(tenant) + "/web/deployments").then()
                    .statusCode(400);
            if (field.startsWith("unknown") || field.endsWith(".unknown")) {
                response.body("error.code", equalTo("UNKNOWN_FIELD"));
            } else if (!field.equals("wrong type")) {
                response.body("error.code", equalTo("INVALID_FIELD")).body("error.message", containsString(field));
            }
        }
        RequestSpecification malformed = owner.api().body("{\"image\": \"demo/web:1\",");
        malformed.post(apps(tenant) + "/web/deployments").then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        owner.api().post(apps(tenant) + "/web/deployments").then().statusCode(400);
        owner.api().body(Map.of("replicas", 101)).post(apps(tenant) + "/web/scale").then().statusCode(400)
                .body("error.message", containsString("replicas"));
        owner.api().body(Map.of("release", "2")).post(apps(tenant) + "/web/rollback").then().statusCode(400);
        owner.api().body(Map.of("env", Map.of("BAD KEY", "x"))).put(apps(tenant) + "/web/config").then()
                .statusCode(400).body("error.message", containsString("env"));
        for (String name : List.of("A", "-web", "web-", "Web", "web_1", "x".repeat(41))) {
            owner.api().body(Map.of("name", name)).post(apps(tenant)).then().statusCode(400)
                    .body("error.message", containsString("name"));
        }
        owner.api().body(Map.of("name", "ok", "extra", 1)).post(apps(tenant)).then().statusCode(400)
                .body("error.code", equalTo("UNKNOWN_FIELD"));

        assertEquals(0, releasesOf(tenant));
        assertEquals(1, Db.count("SELECT count(*) FROM apps a JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ?",
                tenant));
        assertEquals(0, Db.count("SELECT count(*) FROM app_config c JOIN apps a ON a.id = c.app_id JOIN tenants t"
                + " ON t.id = a.tenant_id WHERE t.name = ?", tenant));
        assertEquals(audit, auditOf(tenant));
        owner.api().get(apps(tenant) + "/web").then().body("desiredReplicas", equalTo(0));
    }

    @Test
    void quotasAreEnforcedAndOnlyPlatformAdminsChangeThem() {
        TestUser owner = TestUser.create("quotaowner");
        String tenant = Api.createTenant(owner, "quota");
        String platformAdmin = KeycloakAdmin.passwordGrant("admin", "admin");
        Api.bearer(platformAdmin).get("/api/v1/me").then().statusCode(200);
        owner.api().body(Map.of("maxInstances", 100)).put("/api/v1/admin/tenants/" + tenant + "/quota").then()
                .statusCode(403);
        Api.bearer(platformAdmin).body(Map.of("maxInstances", 3, "maxCpu", 2, "maxMemoryMb", 512))
                .put("/api/v1/admin/tenants/" + tenant + "/quota").then().statusCode(200)
                .body("limits.maxInstances", equalTo(3));
        Api.bearer(platformAdmin).body(Map.of("maxInstances", -1)).put("/api/v1/admin/tenants/" + tenant + "/quota")
                .then().statusCode(400);
        Api.bearer(platformAdmin).body(Map.of("maxInstances", 1)).put("/api/v1/admin/tenants/no-such-tenant-x/quota")
                .then().statusCode(404);
        owner.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(201);
        owner.api().body(Map.of("name", "worker")).post(apps(tenant)).then().statusCode(201);
        owner.api().body(deployment("demo/web:1", 2)).post(apps(tenant) + "/web/deployments").then().statusCode(202);
        owner.api().get("/api/v1/tenants/" + tenant + "/quota").then().statusCode(200)
                .body("limits.maxInstances", equalTo(3)).body("limits.maxMemoryMb", equalTo(512))
                .body("usage.instances", equalTo(2)).body("usage.memoryMb", equalTo(256));
        Number cpuInUse = owner.api().get("/api/v1/tenants/" + tenant + "/quota").then().extract().path("usage.cpu");
        assertEquals(1.0, cpuInUse.doubleValue());
        long releases = releasesOf(tenant);
        long audit = auditOf(tenant);

        owner.api().body(deployment("demo/worker:1", 2)).post(apps(tenant) + "/worker/deployments").then()
                .statusCode(403).body("error.code", equalTo("QUOTA_EXCEEDED"))
                .body("error.message", containsString("maxInstances")).body("error.message", containsString("4"))
                .body("error.message", containsString("3"));
        owner.api().body(with(b -> b.put("resources", resources(1.5, 64, 64)))).post(apps(tenant)
                + "/worker/deployments").then().statusCode(403).body("error.message", containsString("maxCpu"));
        owner.api().body(with(b -> b.put("resources", resources(0.5, 300, 64)))).post(apps(tenant)
                + "/worker/deployments").then().statusCode(403).body("error.message", containsString("maxMemoryMb"));
        owner.api().body(Map.of("replicas", 4)).post(apps(tenant) + "/web/scale").then().statusCode(403)
                .body("error.code", equalTo("QUOTA_EXCEEDED"));
        assertEquals(releases, releasesOf(tenant));
        assertEquals(audit, auditOf(tenant));
        owner.api().get(apps(tenant) + "/web").then().body("desiredReplicas", equalTo(2));

        owner.api().body(Map.of("replicas", 3)).post(apps(tenant) + "/web/scale").then().statusCode(202);
        owner.api().body(deployment("demo/worker:1", 0)).post(apps(tenant) + "/worker/deployments").then()
                .statusCode(202);
        Api.bearer(platformAdmin).body(Map.of()).put("/api/v1/admin/tenants/" + tenant + "/quota").then()
                .statusCode(200).body("limits.maxInstances", equalTo(20)).body("usage.instances", equalTo(3));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ? AND action = 'quota.set'"
                + " AND details->>'maxInstances' = '3'", tenant));
    }

    @Test
    void concurrentDeploysGetConsecutiveReleaseNumbers() throws Exception {
        TestUser owner = TestUser.create("racer");
        String tenant = Api.createTenant(owner, "race");
        owner.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(201);
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<String> labels = new ArrayList<>();
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return owner.api().body(deployment("demo/web:" + n, 1)).post(apps(tenant) + "/web/deployments")
                            .then().statusCode(202).extract().<String>path("release");
                }));
            }
            start.countDown();
            for (Future<String> result : results) {
                labels.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= racers; i++) {
            expected.add("v" + i);
        }
        assertEquals(expected, labels.stream().sorted((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)),
                Integer.parseInt(b.substring(1)))).toList());
        owner.api().get(apps(tenant) + "/web").then().body("currentRelease", equalTo("v" + racers));
        assertEquals(racers, Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ?"
                + " AND action = 'app.deploy'", tenant));
    }
}
