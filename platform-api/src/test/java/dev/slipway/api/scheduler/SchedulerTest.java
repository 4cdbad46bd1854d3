package dev.slipway.api.scheduler;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestImages;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler and reconciler against real PostgreSQL, through the real apps API and the real scheduler loop.
 * Workers are rows here and their reports are the SQL updates a worker's session makes (the engine side is covered
 * by the end-to-end test): placement, rolling deploys, automatic rollback, lost workers, restarts, scaling.
 */
@QuarkusTest
class SchedulerTest {

    private final List<UUID> workers = new ArrayList<>();

    @BeforeAll
    static void images() {
        for (int i = 1; i <= 5; i++) {
            TestImages.tag("demo/sched", Integer.toString(i), true);
        }
    }

    @BeforeEach
    void onlyThisTestsWorkers() {
        // workers left ready by other test classes in this JVM (rows only, or engines already gone) must not take
        // this test's instances; the scheduler treats removed workers like lost ones
        Db.update("UPDATE workers SET state = 'removed' WHERE state = 'ready'");
    }

    @AfterEach
    void removeWorkers() {
        // nothing of later tests may land on these
        for (UUID w : workers) {
            Db.update("UPDATE workers SET state = 'removed' WHERE id = ?", w);
        }
    }

    /** A worker row that the lost-worker sweep leaves alone (seen "in the future"): no engine stands behind it. */
    private UUID worker(String name, String cpu, int memoryMb) {
        UUID id = UUID.randomUUID();
        Db.update("INSERT INTO workers (id, name, credential_hash, cpu, memory_mb, state, last_seen_at)"
                + " VALUES (?, ?, ?, ?::numeric, ?, 'ready', now() + interval '1 day')", id, name, "test-" + id, cpu,
                memoryMb);
        workers.add(id);
        return id;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static Map<String, Object> deployment(String image, int replicas, String cpu, int memoryMb) {
        return Map.of("image", image, "replicas", replicas, "resources", Map.of("cpu", new java.math.BigDecimal(cpu),
                "memoryMb", memoryMb, "pids", 64));
    }

    private static String app(String tenant, String app) {
        return "/api/v1/tenants/" + tenant + "/apps/" + app;
    }

    /** Wanted rows of a release ("v2") of the tenant's app, as a count. */
    private static long wanted(String tenant, String version, String extraCondition) {
        return Db.count("SELECT count(*) FROM instances i JOIN releases r ON r.id = i.release_id JOIN apps a"
                + " ON a.id = i.app_id JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ? AND r.version = ?"
                + " AND i.desired_state = 'running'" + extraCondition, tenant, Integer.parseInt(version.substring(1)));
    }

    private static long stopped(String tenant, String version) {
        return Db.count("SELECT count(*) FROM instances i JOIN releases r ON r.id = i.release_id JOIN apps a"
                + " ON a.id = i.app_id JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ? AND r.version = ?"
                + " AND i.desired_state = 'stopped'", tenant, Integer.parseInt(version.substring(1)));
    }

    private static String releaseStatus(String tenant, String version) {
        return Db.value(String.class, "SELECT r.status FROM releases r JOIN apps a ON a.id = r.app_id JOIN tenants t"
                + " ON t.id = a.tenant_id WHERE t.name = ? AND r.version = ?", tenant,
                Integer.parseInt(version.substring(1)));
    }

    /** What a worker's session writes when its containers run and pass their health checks. */
    private static int reportHealthy(String tenant, String version, int limit) {
        return Db.update("UPDATE instances SET state = 'running', healthy = true, endpoint = '127.0.0.1:9',"
                + " started_at = now() WHERE id IN (SELECT i.id FROM instances i JOIN releases r ON r.id = i.release_id"
                + " JOIN apps a ON a.id = i.app_id JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ?"
                + " AND r.version = ? AND i.desired_state = 'running' AND i.state = 'assigned' ORDER BY i.id LIMIT ?)",
                tenant, Integer.parseInt(version.substring(1)), limit);
    }

    @Test
    void rollingDeployThenCrashLoopRollsBackAutomatically() {
        UUID w = worker("sched-big", "64", 65536);
        TestUser owner = TestUser.create("sched");
        String tenant = Api.createTenant(owner, "sched");
        owner.api().body(Map.of("name", "web")).post("/api/v1/tenants/" + tenant + "/apps").then().statusCode(201);
        owner.api().body(deployment("demo/sched:1", 2, "0.5", 64)).post(app(tenant, "web") + "/deployments").then()
                .statusCode(202);
        await("v1 placed twice", () -> wanted(tenant, "v1", " AND i.state = 'assigned' AND i.worker_id = '" + w + "'")
                == 2);
        owner.api().get(app(tenant, "web")).then().body("status", equalTo("deploying"))
                .body("instances.worker", org.hamcrest.Matchers.everyItem(equalTo("sched-big")))
                .body("instances.state", org.hamcrest.Matchers.everyItem(equalTo("assigned")));
        assertEquals(2, reportHealthy(tenant, "v1", 2));
        await("v1 running", () -> "running".equals(releaseStatus(tenant, "v1")));
        owner.api().get(app(tenant, "web")).then().body("status", equalTo("running"))
                .body("currentRelease", equalTo("v1")).body("instances.healthy", org.hamcrest.Matchers.everyItem(
                        equalTo(true)));

        // v2 surges next to v1; each healthy v2 instance retires one v1 instance
        owner.api().body(deployment("demo/sched:2", 2, "0.5", 64)).post(app(tenant, "web") + "/deployments").then()
                .statusCode(202);
        await("v2 placed", () -> wanted(tenant, "v2", " AND i.state = 'assigned'") == 2);
        assertEquals(2, wanted(tenant, "v1", ""));
        assertEquals(1, reportHealthy(tenant, "v2", 1));
        await("one v1 retired", () -> stopped(tenant, "v1") == 1);
        assertEquals(1, wanted(tenant, "v1", " AND i.healthy"));
        assertEquals("pending", releaseStatus(tenant, "v2"));
        assertEquals(1, reportHealthy(tenant, "v2", 1));
        await("v2 running", () -> "running".equals(releaseStatus(tenant, "v2")));
        assertEquals(0, wanted(tenant, "v1", ""));
        assertEquals("superseded", releaseStatus(tenant, "v1"));
        // the worker stops them and its session deletes the rows
        Db.update("DELETE FROM instances WHERE desired_state = 'stopped' AND worker_id = ?", w);

        // v3 crash-loops: failed with the reason, the app goes back to v2, whose instances never stopped
        owner.api().body(deployment("demo/sched:3", 2, "0.5", 64)).post(app(tenant, "web") + "/deployments").then()
                .statusCode(202);
        await("v3 placed", () -> wanted(tenant, "v3", " AND i.state = 'assigned'") == 2);
        Db.update("UPDATE instances SET state = 'crash-loop', last_exit_code = 3, restarts = 1,"
                + " last_log = '[\"about to fail\"]'::jsonb WHERE id = (SELECT i.id FROM instances i JOIN releases r"
                + " ON r.id = i.release_id JOIN apps a ON a.id = i.app_id JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.name = ? AND r.version = 3 LIMIT 1)", tenant);
        await("v3 failed", () -> "failed".equals(releaseStatus(tenant, "v3")));
        owner.api().get(app(tenant, "web") + "/releases/v3").then()
                .body("statusReason", containsString("crash-loops (exit code 3)"))
                .body("statusReason", containsString("about to fail"))
                .body("statusReason", containsString("rolled back to v2"));
        await("v3 instances stopped", () -> wanted(tenant, "v3", "") == 0);
        assertEquals(2, wanted(tenant, "v2", " AND i.healthy"));
        assertEquals("running", releaseStatus(tenant, "v2"));
        owner.api().get(app(tenant, "web")).then().body("status", equalTo("running"))
                .body("currentRelease", equalTo("v2")).body("statusReason", containsString("v3 failed"));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ?"
                + " AND action = 'app.rollout.failed' AND details->>'rolledBackTo' = 'v2'", tenant));

        // v4 never turns healthy: after the rollout deadline it fails too (time travel instead of waiting)
        owner.api().body(deployment("demo/sched:4", 2, "0.5", 64)).post(app(tenant, "web") + "/deployments").then()
                .statusCode(202);
        await("v4 placed", () -> wanted(tenant, "v4", " AND i.state = 'assigned'") == 2);
        Db.update("UPDATE instances SET created_at = now() - interval '10 minutes' WHERE release_id = (SELECT r.id"
                + " FROM releases r JOIN apps a ON a.id = r.app_id JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.name = ? AND r.version = 4)", tenant);
        await("v4 failed", () -> "failed".equals(releaseStatus(tenant, "v4")));
        owner.api().get(app(tenant, "web") + "/releases/v4").then()
                .body("statusReason", containsString("did not become healthy within 60 s (state assigned)"));
        owner.api().get(app(tenant, "web")).then().body("currentRelease", equalTo("v2"));
        owner.api().delete(app(tenant, "web")).then().statusCode(204);
    }

    @Test
    void replicasSpreadAndALostWorkersInstancesArePlacedElsewhere() {
        UUID a = worker("sched-a", "4", 4096);
        UUID b = worker("sched-b", "4", 4096);
        TestUser owner = TestUser.create("spread");
        String tenant = Api.createTenant(owner, "spread");
        owner.api().body(Map.of("name", "web")).post("/api/v1/tenants/" + tenant + "/apps").then().statusCode(201);
        owner.api().body(deployment("demo/sched:1", 2, "0.5", 64)).post(app(tenant, "web") + "/deployments").then()
                .statusCode(202);
        await("placed", () -> wanted(tenant, "v1", " AND i.state = 'assigned'") == 2);
        long distinct = Db.count("SELECT count(DISTINCT i.worker_id) FROM instances i JOIN apps a ON a.id = i.app_id"
                + " JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ?", tenant);
        assertEquals(2, distinct, "two replicas on two distinct workers");
        reportHealthy(tenant, "v1", 2);
        await("running", () -> "running".equals(releaseStatus(tenant, "v1")));

        // what the workers' lost-worker job writes
        UUID lost = Db.value(UUID.class, "SELECT i.worker_id FROM instances i JOIN apps a ON a.id = i.app_id JOIN tenants t"
                + " ON t.id = a.tenant_id WHERE t.name = ? ORDER BY i.id LIMIT 1", tenant);
        Db.update("UPDATE workers SET state = 'lost' WHERE id = ?", lost);
        Db.update("UPDATE instances SET state = 'lost', healthy = false WHERE worker_id = ?", lost);
        await("replacement placed", () -> wanted(tenant, "v1", " AND i.state = 'assigned'") == 1);
        UUID replacement = Db.value(UUID.class, "SELECT i.worker_id FROM instances i JOIN apps a ON a.id = i.app_id JOIN tenants t"
                + " ON t.id = a.tenant_id WHERE t.name = ? AND i.state = 'assigned'", tenant);
        assertNotEquals(lost, replacement);
        assertTrue(replacement.equals(a) || replacement.equals(b) || !workers.contains(replacement));
        assertEquals(1, Db.count("SELECT count(*) FROM instances i JOIN apps a ON a.id = i.app_id JOIN tenants t"
                + " ON t.id = a.tenant_id WHERE t.name = ? AND i.worker_id = ? AND i.desired_state = 'stopped'", tenant,
                lost), () -> "the lost row is kept for its worker to stop if it comes back; rows: " + Db.value(
                String.class, "SELECT string_agg(i.id || ' ' || coalesce(i.worker_id::text, '-') || ' ' || i.state"
                + " || ' ' || i.desired_state || ' gen ' || i.restart_generation || ' at ' || i.created_at, '; ')"
                + " FROM instances i JOIN apps a ON a.id = i.app_id JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.name = ?", tenant) + "; lost worker " + lost + ", a " + a + ", b " + b);
        owner.api().delete(app(tenant, "web")).then().statusCode(204);
    }

    @Test
    void restartReplacesInstancesOneByOneAndScalingAddsAndRemoves() {
        worker("sched-r", "8", 8192);
        TestUser owner = TestUser.create("restart");
        String tenant = Api.createTenant(owner, "restart");
        owner.api().body(Map.of("name", "web")).post("/api/v1/tenants/" + tenant + "/apps").then().statusCode(201);
        owner.api().body(deployment("demo/sched:1", 2, "0.25", 32)).post(app(tenant, "web") + "/deployments").then()
                .statusCode(202);
        await("placed", () -> wanted(tenant, "v1", " AND i.state = 'assigned'") == 2);
        reportHealthy(tenant, "v1", 2);
        await("running", () -> "running".equals(releaseStatus(tenant, "v1")));

        owner.api().post(app(tenant, "web") + "/restart").then().statusCode(202).body("restartGeneration", equalTo(1));
        await("generation 1 surged", () -> wanted(tenant, "v1", " AND i.restart_generation = 1") == 2);
        assertEquals(2, wanted(tenant, "v1", " AND i.restart_generation = 0"));
        reportHealthy(tenant, "v1", 1);
        await("one old retired", () -> wanted(tenant, "v1", " AND i.restart_generation = 0") == 1);
        reportHealthy(tenant, "v1", 1);
        await("all old retired", () -> wanted(tenant, "v1", " AND i.restart_generation = 0") == 0);

        owner.api().body(Map.of("replicas", 3)).post(app(tenant, "web") + "/scale").then().statusCode(202);
        await("scaled up", () -> wanted(tenant, "v1", "") == 3);
        reportHealthy(tenant, "v1", 1);
        owner.api().body(Map.of("replicas", 1)).post(app(tenant, "web") + "/scale").then().statusCode(202);
        await("scaled down", () -> wanted(tenant, "v1", "") == 1);
        owner.api().body(Map.of("replicas", 0)).post(app(tenant, "web") + "/scale").then().statusCode(202);
        await("scaled to zero", () -> wanted(tenant, "v1", "") == 0);
        owner.api().get(app(tenant, "web")).then().body("status", equalTo("stopped"));
        owner.api().delete(app(tenant, "web")).then().statusCode(204);
    }

    @Test
    void anInstanceThatFitsNowhereWaitsWithTheReason() {
        worker("sched-small", "1", 1024);
        TestUser owner = TestUser.create("pending");
        String tenant = Api.createTenant(owner, "pending");
        Db.update("INSERT INTO tenant_quotas (tenant_id, max_cpu, max_memory_mb) SELECT id, 64, 100000 FROM tenants"
                + " WHERE name = ?", tenant);
        owner.api().body(Map.of("name", "huge")).post("/api/v1/tenants/" + tenant + "/apps").then().statusCode(201);
        owner.api().body(deployment("demo/sched:1", 1, "16", 65536)).post(app(tenant, "huge") + "/deployments").then()
                .statusCode(202);
        await("pending with reason", () -> wanted(tenant, "v1", " AND i.state = 'pending' AND i.state_reason LIKE"
                + " 'no worker has 16 CPU and 65536 MB free; largest free: %'") == 1);
        owner.api().get(app(tenant, "huge")).then().body("instances[0].state", equalTo("pending"))
                .body("instances[0].worker", org.hamcrest.Matchers.nullValue())
                .body("instances[0].reason", containsString("no worker has 16 CPU and 65536 MB free"));
        owner.api().delete(app(tenant, "huge")).then().statusCode(204);
    }
}
