package dev.slipway.api.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.registry.auth.Action;
import dev.slipway.api.registry.auth.RegistryTokens;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.WorkerStreamClient;
import dev.slipway.api.testsupport.Workers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker stream against the running API, spoken by a real WebSocket client: authentication before the
 * upgrade, hello -> welcome + assign, instance reports confined to the worker's own rows, lost workers,
 * replaced connections and removal.
 */
@QuarkusTest
class WorkerStreamTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RegistryTokens registryTokens;

    private final List<String> workers = new ArrayList<>();
    private final List<WorkerStreamClient> clients = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        clients.forEach(WorkerStreamClient::close);
        // Removed workers are never placed on again by a scheduler running in the same JVM.
        for (String id : workers) {
            if (Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state <> 'removed'", id) == 1) {
                Workers.remove(id);
            }
        }
    }

    private String baseUrl() {
        return base.toString().replaceAll("/$", "");
    }

    private Workers.Joined join(String name) {
        Workers.Joined joined = Workers.join(name);
        workers.add(joined.workerId());
        return joined;
    }

    private WorkerStreamClient connect(Workers.Joined worker) {
        WorkerStreamClient client = WorkerStreamClient.connect(baseUrl(), worker.credential());
        clients.add(client);
        return client;
    }

    /** Connects, says hello with no instances and reads the welcome and the first assign. */
    private WorkerStreamClient helloed(Workers.Joined worker, List<Map<String, Object>> instances) {
        WorkerStreamClient client = connect(worker);
        client.hello(worker.workerId(), 0, 0, instances);
        assertEquals("welcome", client.next().path("type").asText());
        assertEquals("assign", client.next().path("type").asText());
        return client;
    }

    private static Map<String, Object> status(UUID instance, String state, boolean healthy, String endpoint) {
        Map<String, Object> s = new HashMap<>();
        s.put("instanceId", instance.toString());
        s.put("containerId", "c-" + instance.toString().substring(0, 8));
        s.put("state", state);
        s.put("healthy", healthy);
        s.put("endpoint", endpoint);
        s.put("restarts", 2);
        s.put("exitCode", null);
        s.put("oomKilled", false);
        s.put("startedAt", "2026-11-23T18:00:00.123456789Z");
        return s;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    @Test
    void theUpgradeIsRefusedWithoutAValidCredential() {
        assertEquals(401, WorkerStreamClient.upgradeStatus(baseUrl(), null));
        assertEquals(401, WorkerStreamClient.upgradeStatus(baseUrl(), "slw_" + "A".repeat(43)));
        // A join token or a user's PAT is not a worker credential.
        assertEquals(401, WorkerStreamClient.upgradeStatus(baseUrl(), Workers.joinToken(null)));
        assertEquals(401, WorkerStreamClient.upgradeStatus(baseUrl(), "slp_whatever"));
    }

    @Test
    void helloIsAnsweredWithWelcomeAndTheWorkersAssignments() {
        Workers.Joined worker = join("hello");
        WorkerStreamClient client = connect(worker);
        client.send(Map.of("type", "hello", "workerId", worker.workerId(), "engineVersion", "0.9.1", "cpu", 0,
                "memoryMb", 0, "instances", List.of(), "futureField", true));
        JsonNode welcome = client.next();
        assertEquals("welcome", welcome.path("type").asText());
        assertEquals(worker.workerId(), welcome.path("workerId").asText());
        assertEquals(1, welcome.path("heartbeatSeconds").asInt());
        assertEquals(8, welcome.path("lostAfterSeconds").asInt());
        assertEquals(10, welcome.path("statsSeconds").asInt());
        String registry = welcome.path("registry").asText();
        assertEquals("http://localhost:" + RestAssured.port, registry);
        JsonNode empty = client.next();
        assertEquals("assign", empty.path("type").asText());
        assertEquals(0, empty.path("instances").size());
        assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state = 'ready'"
                + " AND connected_to IS NOT NULL AND engine_version = '0.9.1' AND last_seen_at IS NOT NULL",
                worker.workerId()));

        InstanceRows app = InstanceRows.app(1);
        UUID instance = app.instanceOn(worker.workerId(), "assigned", false);
        InstanceRows.workerChanged(worker.workerId());
        JsonNode assign = client.next("assign");
        assertEquals(1, assign.path("instances").size());
        JsonNode spec = assign.path("instances").get(0);
        assertEquals(instance.toString(), spec.path("instanceId").asText());
        assertEquals("web", spec.path("app").asText());
        assertEquals(app.tenant, spec.path("tenant").asText());
        assertEquals("v1", spec.path("release").asText());
        assertEquals(0, spec.path("generation").asInt());
        assertEquals("localhost:" + RestAssured.port + "/" + app.tenant + "/web@" + InstanceRows.DIGEST,
                spec.path("image").asText());
        assertEquals(List.of("httpd", "-f"), List.of(spec.path("command").get(0).asText(),
                spec.path("command").get(1).asText()));
        // Release env first, app config on top (secret values included: the container needs them).
        assertEquals("1", spec.path("env").path("A").asText());
        assertEquals("config", spec.path("env").path("B").asText());
        assertEquals("hidden", spec.path("env").path("S").asText());
        assertEquals(8080, spec.path("port").asInt());
        assertEquals(0.5, spec.path("resources").path("cpu").asDouble());
        assertEquals(64, spec.path("resources").path("memoryMb").asInt());
        assertEquals(128, spec.path("resources").path("pids").asInt());
        assertEquals("/healthz", spec.path("healthCheck").path("path").asText());
        assertEquals(3, spec.path("healthCheck").path("intervalSeconds").asInt());
        assertEquals(1, spec.path("healthCheck").path("timeoutSeconds").asInt());
        assertEquals(10, spec.path("stopGraceSeconds").asInt());

        // The pull token allows pulling exactly this repository, and the registry accepts it.
        String token = spec.path("pullAuth").path("registryToken").asText();
        var grant = registryTokens.verify(token, Instant.now()).orElseThrow();
        assertEquals(Map.of(app.tenant + "/web", Set.of(Action.PULL)), grant.access());
        RestAssured.given().auth().oauth2(token).get("/v2/" + app.tenant + "/web/tags/list").then()
                .statusCode(404);
        RestAssured.given().auth().oauth2(token).get("/v2/" + app.tenant + "/other/tags/list").then()
                .statusCode(401);

        // Restart: the instance's generation grows (with the app's, in one statement, so a scheduler running in
        // this JVM sees a consistent state), and the worker hears of it.
        Db.count("WITH bumped AS (UPDATE apps SET restart_generation = 1 WHERE id = ? RETURNING id),"
                + " moved AS (UPDATE instances SET restart_generation = 1 WHERE app_id IN (SELECT id FROM bumped)"
                + " RETURNING id) SELECT count(*) FROM moved", app.appId);
        InstanceRows.workerChanged(worker.workerId());
        assertEquals(1, client.next("assign").path("instances").get(0).path("generation").asInt());
    }

    @Test
    void instanceReportsUpdateOnlyTheReportingWorkersRows() {
        Workers.Joined mine = join("mine");
        Workers.Joined other = join("other");
        InstanceRows app = InstanceRows.app(2);
        UUID own = app.instanceOn(mine.workerId(), "assigned", false);
        UUID foreign = app.instanceOn(other.workerId(), "assigned", false);
        WorkerStreamClient client = helloed(mine, List.of());

        // The foreign report goes first: once the own one is visible, the foreign one was handled too.
        client.send(withType(status(foreign, "running", true, "10.0.0.66:80")));
        Map<String, Object> report = withType(status(own, "running", true, "10.211.9.2:8080"));
        report.put("reason", "started");
        client.send(report);
        await("the own instance is running", () -> Db.count("SELECT count(*) FROM instances WHERE id = ?"
                + " AND state = 'running' AND healthy AND endpoint = '10.211.9.2:8080' AND restarts = 2"
                + " AND container_id = ? AND started_at BETWEEN '2026-11-23T18:00:00.123Z'"
                + " AND '2026-11-23T18:00:00.124Z'", own,
                "c-" + own.toString().substring(0, 8)) == 1);
        assertEquals(1, Db.count("SELECT count(*) FROM instances WHERE id = ? AND state = 'assigned'"
                + " AND NOT healthy AND endpoint IS NULL AND container_id IS NULL", foreign));

        Map<String, Object> crash = withType(status(own, "crash-loop", false, null));
        crash.put("exitCode", 3);
        crash.put("oomKilled", true);
        crash.put("lastLog", List.of("boom", "bye"));
        client.send(crash);
        await("the crash is recorded", () -> Db.count("SELECT count(*) FROM instances WHERE id = ?"
                + " AND state = 'crash-loop' AND NOT healthy AND endpoint IS NULL AND last_exit_code = 3"
                + " AND oom_killed AND last_log = '[\"boom\", \"bye\"]'::jsonb", own) == 1);

        // Scheduler wants it gone: the assign leaves it out; once reported stopped, the row goes.
        Db.update("UPDATE instances SET desired_state = 'stopped' WHERE id = ?", own);
        InstanceRows.workerChanged(mine.workerId());
        assertEquals(0, client.next("assign").path("instances").size());
        client.send(withType(status(own, "stopped", false, null)));
        await("the stopped instance's row is deleted",
                () -> Db.count("SELECT count(*) FROM instances WHERE id = ?", own) == 0);
        assertEquals(1, Db.count("SELECT count(*) FROM instances WHERE id = ?", foreign));
    }

    @Test
    void helloAdoptsKnownInstancesAndForgetsTheRest() {
        Workers.Joined worker = join("reconnecting");
        // In service first, so a scheduler running in this JVM keeps the rows placed on it.
        helloed(worker, List.of());
        InstanceRows app = InstanceRows.app(2);
        UUID kept = app.instanceOn(worker.workerId(), "running", true);
        UUID vanished = app.instanceOn(worker.workerId(), "running", true);
        UUID unwanted = app.instanceOn(worker.workerId(), "running", true);
        Db.update("UPDATE instances SET desired_state = 'stopped' WHERE id = ?", unwanted);
        UUID stranger = UUID.randomUUID();

        // Reconnect, as after an engine restart: the new stream replaces the old one, and its hello reconciles.
        WorkerStreamClient client = connect(worker);
        client.hello(worker.workerId(), 0, 0, List.of(status(kept, "running", true, "10.211.9.3:8080"),
                status(stranger, "running", true, "10.211.9.4:8080")));
        assertEquals("welcome", client.next().path("type").asText());
        JsonNode assign = client.next();
        assertEquals("assign", assign.path("type").asText());
        List<String> assigned = new ArrayList<>();
        assign.path("instances").forEach(i -> assigned.add(i.path("instanceId").asText()));
        assertEquals(Set.of(kept.toString(), vanished.toString()), Set.copyOf(assigned));
        assertEquals(1, Db.count("SELECT count(*) FROM instances WHERE id = ? AND endpoint = '10.211.9.3:8080'",
                kept));
        assertEquals(1, Db.count("SELECT count(*) FROM instances WHERE id = ? AND state = 'assigned'"
                + " AND NOT healthy AND endpoint IS NULL", vanished));
        assertEquals(0, Db.count("SELECT count(*) FROM instances WHERE id = ?", unwanted));
        assertEquals(0, Db.count("SELECT count(*) FROM instances WHERE id = ?", stranger));
    }

    @Test
    void aSilentWorkerIsLostWhileAHeartbeatingOneStaysReady() {
        Workers.Joined silent = join("silent");
        Workers.Joined alive = join("alive");
        InstanceRows app = InstanceRows.app(1);
        UUID instance = app.instanceOn(silent.workerId(), "running", true);
        WorkerStreamClient quiet = helloed(silent, List.of(status(instance, "running", true, "10.211.9.5:8080")));
        WorkerStreamClient talking = helloed(alive, List.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state = 'lost'", silent.workerId())
                == 0) {
            assertTrue(System.nanoTime() < deadline, "the silent worker was not marked lost within 30 s");
            talking.heartbeat();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertEquals(1, Db.count("SELECT count(*) FROM instances WHERE id = ? AND state = 'lost' AND NOT healthy",
                instance));
        assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND connected_to IS NULL",
                silent.workerId()));
        assertEquals(WorkerSessions.LOST, quiet.awaitClose(Duration.ofSeconds(10)));
        assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state = 'ready'",
                alive.workerId()));
        assertFalse(talking.isClosed());

        // It comes back: hello puts it in service again and adopts what it still runs.
        WorkerStreamClient back = helloed(silent, List.of(status(instance, "running", true, "10.211.9.5:8080")));
        assertNotNull(back);
        assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state = 'ready'",
                silent.workerId()));
        assertEquals(1, Db.count("SELECT count(*) FROM instances WHERE id = ? AND state = 'running' AND healthy",
                instance));
    }

    @Test
    void aSecondConnectionReplacesTheFirst() {
        Workers.Joined worker = join("twice");
        WorkerStreamClient first = helloed(worker, List.of());
        WorkerStreamClient second = connect(worker);
        assertEquals(WorkerSessions.REPLACED, first.awaitClose(Duration.ofSeconds(10)));
        second.hello(worker.workerId(), 0, 0, List.of());
        assertEquals("welcome", second.next().path("type").asText());
        second.heartbeat();
        assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state = 'ready'"
                + " AND connected_to IS NOT NULL", worker.workerId()));
        // A hello naming another worker than the credential's is a protocol violation.
        WorkerStreamClient confused = connect(worker);
        confused.hello(UUID.randomUUID().toString(), 0, 0, List.of());
        assertEquals(WorkerSessions.PROTOCOL, confused.awaitClose(Duration.ofSeconds(10)));
    }

    @Test
    void aRemovedWorkerIsDisconnectedRefusedAndItsInstancesAreLost() {
        Workers.Joined worker = join("doomed");
        WorkerStreamClient client = helloed(worker, List.of());
        InstanceRows app = InstanceRows.app(1);
        UUID instance = app.instanceOn(worker.workerId(), "running", true);
        InstanceRows.workerChanged(worker.workerId());
        assertEquals(1, client.next("assign").path("instances").size());
        String admin = Workers.platformAdminToken();
        Api.bearer(admin).get("/api/v1/admin/workers").then().statusCode(200)
                .body("find { it.id == '" + worker.workerId() + "' }.state", org.hamcrest.Matchers.equalTo("ready"))
                .body("find { it.id == '" + worker.workerId() + "' }.instances", org.hamcrest.Matchers.equalTo(1))
                .body("find { it.id == '" + worker.workerId() + "' }.cpuAllocated",
                        org.hamcrest.Matchers.equalTo(0.5f))
                .body("find { it.id == '" + worker.workerId() + "' }.memoryMbAllocated",
                        org.hamcrest.Matchers.equalTo(64));
        Workers.remove(worker.workerId());
        assertEquals(WorkerSessions.REMOVED, client.awaitClose(Duration.ofSeconds(15)));
        assertEquals(401, WorkerStreamClient.upgradeStatus(baseUrl(), worker.credential()));
        assertEquals(1, Db.count("SELECT count(*) FROM instances WHERE id = ? AND state = 'lost' AND NOT healthy",
                instance));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE action = 'worker.remove' AND target = ?",
                worker.workerId()));
        Api.bearer(admin).get("/api/v1/admin/workers").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(worker.workerId())));
        Api.bearer(admin).delete("/api/v1/admin/workers/" + worker.workerId()).then().statusCode(404)
                .body("error.code", org.hamcrest.Matchers.equalTo("WORKER_NOT_FOUND"));
    }

    private static Map<String, Object> withType(Map<String, Object> status) {
        Map<String, Object> frame = new HashMap<>(status);
        frame.put("type", "instance");
        return frame;
    }
}
