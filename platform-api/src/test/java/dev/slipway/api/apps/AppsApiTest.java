package dev.slipway.api.apps;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestImages;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The apps API end to end against real PostgreSQL and Keycloak: lifecycle, roles, config secrets. */
@QuarkusTest
class AppsApiTest {

    static Map<String, Object> deployment(String image, int replicas) {
        return Map.of("image", image, "command", List.of("httpd", "-f", "-p", "8080"), "env", Map.of("MODE", "prod"),
                "port", 8080, "replicas", replicas,
                "resources", Map.of("cpu", 0.5, "memoryMb", 128, "pids", 256),
                "healthCheck", Map.of("path", "/", "intervalSeconds", 2, "timeoutSeconds", 1));
    }

    /** Public images of a (test-only) tenant "demo" that every tenant may deploy. */
    @BeforeAll
    static void publicImages() {
        for (int i = 0; i < 10; i++) {
            TestImages.tag("demo/web", Integer.toString(i), true);
        }
        TestImages.tag("demo/worker", "1", true);
    }

    static String apps(String tenant) {
        return "/api/v1/tenants/" + tenant + "/apps";
    }

    @Test
    void createDeployInspectScaleRollbackRestartDelete() {
        TestUser owner = TestUser.create("appowner");
        String tenant = Api.createTenant(owner, "apps");
        owner.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(201)
                .body("name", equalTo("web")).body("status", equalTo("new"))
                .body("currentRelease", nullValue()).body("instances", empty());
        owner.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(409)
                .body("error.code", equalTo("APP_EXISTS"));
        owner.api().get(apps(tenant)).then().statusCode(200).body("name", contains("web"));

        owner.api().body(deployment("localhost:8080/demo/web:1", 2)).post(apps(tenant) + "/web/deployments")
                .then().statusCode(202).body("release", equalTo("v1")).body("status", equalTo("pending"))
                .body("id", notNullValue()).header("Location", containsString("/apps/web/releases/v1"));
        owner.api().body(deployment("localhost:8080/demo/web:2", 2)).post(apps(tenant) + "/web/deployments")
                .then().statusCode(202).body("release", equalTo("v2"));
        owner.api().get(apps(tenant) + "/web").then().statusCode(200)
                .body("status", equalTo("deploying")).body("currentRelease", equalTo("v2"))
                .body("image", equalTo("localhost:8080/demo/web:2"))
                .body("desiredReplicas", equalTo(2));
        owner.api().get(apps(tenant) + "/web/releases").then().statusCode(200)
                .body("release", contains("v2", "v1"));
        owner.api().get(apps(tenant) + "/web/releases/v1").then().statusCode(200)
                .body("image", equalTo("localhost:8080/demo/web:1"))
                .body("imageDigest", equalTo(TestImages.tag("demo/web", "1", true)))
                .body("command", contains("httpd", "-f", "-p", "8080"))
                .body("env.MODE", equalTo("prod")).body("port", equalTo(8080)).body("replicas", equalTo(2))
                .body("resources.cpu", equalTo(0.5f)).body("resources.memoryMb", equalTo(128))
                .body("resources.pids", equalTo(256)).body("healthCheck.path", equalTo("/"))
                .body("healthCheck.intervalSeconds", equalTo(2)).body("healthCheck.timeoutSeconds", equalTo(1))
                .body("createdBy", equalTo(owner.username()));
        owner.api().get(apps(tenant) + "/web/releases/v9").then().statusCode(404)
                .body("error.code", equalTo("RELEASE_NOT_FOUND"));

        owner.api().body(Map.of("replicas", 3)).post(apps(tenant) + "/web/scale").then().statusCode(202)
                .body("desiredReplicas", equalTo(3));
        owner.api().body(Map.of("release", "v1")).post(apps(tenant) + "/web/rollback").then().statusCode(202)
                .body("release", equalTo("v3"));
        owner.api().get(apps(tenant) + "/web/releases/v3").then().statusCode(200)
                .body("image", equalTo("localhost:8080/demo/web:1")).body("rollbackOf", equalTo("v1"));
        owner.api().get(apps(tenant) + "/web").then().body("currentRelease", equalTo("v3"))
                .body("desiredReplicas", equalTo(3));
        owner.api().body(Map.of("release", "v7")).post(apps(tenant) + "/web/rollback").then().statusCode(400)
                .body("error.message", containsString("release"));
        owner.api().post(apps(tenant) + "/web/restart").then().statusCode(202).body("restartGeneration", equalTo(1));
        owner.api().post(apps(tenant) + "/web/restart").then().statusCode(202).body("restartGeneration", equalTo(2));

        owner.api().delete("/api/v1/tenants/" + tenant).then().statusCode(409)
                .body("error.code", equalTo("TENANT_NOT_EMPTY")).body("error.message", containsString("app"));
        owner.api().delete(apps(tenant) + "/web").then().statusCode(204);
        owner.api().get(apps(tenant) + "/web").then().statusCode(404).body("error.code", equalTo("APP_NOT_FOUND"));
        assertEquals(0, Db.count("SELECT count(*) FROM releases r LEFT JOIN apps a ON a.id = r.app_id"
                + " WHERE a.id IS NULL"));
        for (String action : List.of("app.create", "app.deploy", "app.scale", "app.rollback", "app.restart",
                "app.delete")) {
            assertFalse(Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ? AND action = ?", tenant,
                    action) == 0, action);
        }
        owner.api().delete("/api/v1/tenants/" + tenant).then().statusCode(204);
    }

    @Test
    void aPinnedDigestIsKeptAndReleasesAreImmutableInTheDatabase() {
        TestUser owner = TestUser.create("pinner");
        String tenant = Api.createTenant(owner, "pinned");
        owner.api().body(Map.of("name", "api")).post(apps(tenant)).then().statusCode(201);
        String digest = TestImages.tag("demo/api", "pinned", true);
        owner.api().body(Map.of("image", "demo/api@" + digest)).post(apps(tenant) + "/api/deployments").then()
                .statusCode(202);
        owner.api().get(apps(tenant) + "/api/releases/v1").then().body("imageDigest", equalTo(digest))
                .body("port", equalTo(8080)).body("replicas", equalTo(1)).body("resources.cpu", equalTo(0.25f))
                .body("healthCheck", nullValue()).body("command", nullValue());
        assertThrows(IllegalStateException.class, () -> Db.update("UPDATE releases SET image = 'evil/x:1'"
                + " WHERE app_id = (SELECT a.id FROM apps a JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ?)",
                tenant));
        assertEquals(1, Db.update("UPDATE releases SET status = 'running' WHERE app_id = (SELECT a.id FROM apps a"
                + " JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ?)", tenant));
    }

    @Test
    void secretConfigValuesAreNeverReturned() {
        TestUser owner = TestUser.create("configurer");
        String tenant = Api.createTenant(owner, "cfg");
        owner.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(201);
        String secret = "s3cr3t-value-" + tenant;
        String put = owner.api().body(Map.of("env", Map.of("LOG_LEVEL", "debug", "DATABASE_PASSWORD", secret),
                "secrets", List.of("DATABASE_PASSWORD"))).put(apps(tenant) + "/web/config").then().statusCode(200)
                .body("env.LOG_LEVEL", equalTo("debug")).body("env.DATABASE_PASSWORD", equalTo("********"))
                .body("secrets", contains("DATABASE_PASSWORD")).extract().asString();
        String get = owner.api().get(apps(tenant) + "/web/config").then().statusCode(200)
                .body("env.DATABASE_PASSWORD", equalTo("********")).body("env.LOG_LEVEL", equalTo("debug"))
                .extract().asString();
        String audit = owner.api().get("/api/v1/tenants/" + tenant + "/audit").asString();
        for (String body : List.of(put, get, audit)) {
            assertFalse(body.contains(secret), body);
        }
        owner.api().body(Map.of("env", Map.of("A", "1"), "secrets", List.of("B"))).put(apps(tenant) + "/web/config")
                .then().statusCode(400).body("error.message", containsString("secrets"));
        owner.api().get(apps(tenant) + "/web/config").then().body("env.LOG_LEVEL", equalTo("debug"));
        owner.api().body(Map.of("env", Map.of())).put(apps(tenant) + "/web/config").then().statusCode(200)
                .body("env.size()", equalTo(0)).body("secrets", empty());
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ? AND action = 'app.config'"
                + " AND details::text LIKE '%DATABASE_PASSWORD%'", tenant));
    }

    @Test
    void rolesDecideWhoMayDoWhat() {
        TestUser owner = TestUser.create("roleowner");
        TestUser viewer = TestUser.create("roleviewer");
        TestUser developer = TestUser.create("roledev");
        TestUser admin = TestUser.create("roleadmin");
        String tenant = Api.createTenant(owner, "roles");
        Api.addMember(owner, tenant, viewer, "viewer");
        Api.addMember(owner, tenant, developer, "developer");
        Api.addMember(owner, tenant, admin, "admin");

        viewer.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(403)
                .body("error.code", equalTo("FORBIDDEN"));
        developer.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(201);
        viewer.api().body(deployment("demo/web:1", 1)).post(apps(tenant) + "/web/deployments").then().statusCode(403);
        viewer.api().body(Map.of("replicas", 2)).post(apps(tenant) + "/web/scale").then().statusCode(403);
        viewer.api().post(apps(tenant) + "/web/restart").then().statusCode(403);
        viewer.api().body(Map.of("env", Map.of("A", "1"))).put(apps(tenant) + "/web/config").then().statusCode(403);
        developer.api().body(deployment("demo/web:1", 1)).post(apps(tenant) + "/web/deployments").then()
                .statusCode(202);
        viewer.api().get(apps(tenant) + "/web").then().statusCode(200).body("currentRelease", equalTo("v1"));
        viewer.api().get(apps(tenant) + "/web/releases").then().statusCode(200);
        viewer.api().get(apps(tenant) + "/web/config").then().statusCode(200);
        viewer.api().get("/api/v1/tenants/" + tenant + "/quota").then().statusCode(200);
        viewer.api().delete(apps(tenant) + "/web").then().statusCode(403);
        developer.api().delete(apps(tenant) + "/web").then().statusCode(403);
        assertEquals(0, Db.count("SELECT count(*) FROM releases r JOIN apps a ON a.id = r.app_id"
                + " JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ? AND r.version > 1", tenant));
        admin.api().delete(apps(tenant) + "/web").then().statusCode(204);

        String readOnly = Api.createToken(developer, List.of("read"), 1);
        Api.bearer(readOnly).get(apps(tenant)).then().statusCode(200);
        Api.bearer(readOnly).body(Map.of("name", "other")).post(apps(tenant)).then().statusCode(403);
    }

    @Test
    void aMemberOfAnotherTenantGets404Everywhere() {
        TestUser owner = TestUser.create("victim");
        TestUser stranger = TestUser.create("stranger");
        String tenant = Api.createTenant(owner, "private");
        Api.createTenant(stranger, "elsewhere");
        owner.api().body(Map.of("name", "web")).post(apps(tenant)).then().statusCode(201);
        owner.api().body(deployment("demo/web:1", 1)).post(apps(tenant) + "/web/deployments").then().statusCode(202);
        String app = apps(tenant) + "/web";
        List<Integer> codes = List.of(
                stranger.api().get(apps(tenant)).statusCode(),
                stranger.api().body(Map.of("name", "x1")).post(apps(tenant)).statusCode(),
                stranger.api().get(app).statusCode(),
                stranger.api().delete(app).statusCode(),
                stranger.api().body(deployment("demo/web:2", 1)).post(app + "/deployments").statusCode(),
                stranger.api().get(app + "/releases").statusCode(),
                stranger.api().get(app + "/releases/v1").statusCode(),
                stranger.api().body(Map.of("replicas", 5)).post(app + "/scale").statusCode(),
                stranger.api().body(Map.of("release", "v1")).post(app + "/rollback").statusCode(),
                stranger.api().post(app + "/restart").statusCode(),
                stranger.api().get(app + "/config").statusCode(),
                stranger.api().body(Map.of("env", Map.of("A", "1"))).put(app + "/config").statusCode(),
                stranger.api().get("/api/v1/tenants/" + tenant + "/quota").statusCode(),
                stranger.api().body(Map.of("maxInstances", 100)).put("/api/v1/admin/tenants/" + tenant + "/quota")
                        .statusCode());
        assertEquals(List.of(404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403), codes);
        stranger.api().get(app).then().body("error.code", equalTo("TENANT_NOT_FOUND"));
        owner.api().get(app).then().statusCode(200).body("currentRelease", equalTo("v1"))
                .body("desiredReplicas", equalTo(1));
        owner.api().get(apps(tenant)).then().body("name", not(hasItem("x1")));
    }
}
