package dev.slipway.api.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.registry.RegistryUser;
import dev.slipway.api.registry.TestImage;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.EngineWorker;
import dev.slipway.api.testsupport.PlatformTestResources;
import dev.slipway.api.testsupport.Workers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The real engine as a worker of the test API: it joins with a join token, says hello, runs what its assign
 * holds (pulled from this registry with the assign's pull token), reports it, is found lost when killed, is
 * reconciled when restarted (its containers adopted or stopped, whatever the platform wants by then), and stops
 * for good when removed.
 */
@QuarkusTest
class EngineWorkerTest {

    @TestHTTPResource("/")
    URL base;

    private static void await(String what, Duration limit, BooleanSupplier condition, EngineWorker engine) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; engine output:\n"
                        + engine.recentOutput());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String endpointOf(UUID instance) {
        try (Connection c = PlatformTestResources.database().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT endpoint FROM instances WHERE id = ?")) {
            s.setObject(1, instance);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRealEngineJoinsRunsItsAssignmentAndIsReconciledAfterAKill() throws Exception {
        RegistryUser owner = RegistryUser.create("engowner");
        String tenant = Api.createTenant(owner.user(), "eng");
        String digest = TestImage.busybox(Files.createTempDirectory("engine-worker-image"), 0).push(owner, tenant + "/web", "1").toString();
        String apiUrl = base.toString().replaceAll("/$", "");

        try (EngineWorker engine = EngineWorker.start(apiUrl, Workers.joinToken(1), "engine-test")) {
            String workerId = engine.workerId();
            await("the engine is ready", Duration.ofSeconds(60), () -> Db.count("SELECT count(*) FROM workers"
                    + " WHERE id = ?::uuid AND state = 'ready' AND connected_to IS NOT NULL AND cpu > 0"
                    + " AND memory_mb > 0 AND engine_version IS NOT NULL", workerId) == 1, engine);

            // What the scheduler would write: one instance of a private image placed on this worker.
            UUID app = UUID.randomUUID();
            UUID release = UUID.randomUUID();
            UUID instance = UUID.randomUUID();
            Db.update("INSERT INTO apps (id, tenant_id, name, desired_replicas, last_release)"
                    + " SELECT ?, id, 'web', 1, 1 FROM tenants WHERE name = ?", app, tenant);
            Db.update("INSERT INTO releases (id, app_id, version, image, image_digest, command, env, port, replicas,"
                    + " cpu, memory_mb, pids, status) VALUES (?, ?, 1, ?, ?, ?::jsonb, '{\"GREETING\": \"hello\"}',"
                    + " 8080, 1, 0.5, 64, 64, 'running')", release, app, tenant + "/web:1", digest,
                    "[\"/bin/sh\", \"-c\", \"/bin/busybox mkdir -p /www && echo $GREETING-$WHO > /www/index.html"
                            + " && exec /bin/busybox httpd -f -p 8080 -h /www\"]");
            Db.update("INSERT INTO app_config (app_id, key, value) VALUES (?, 'WHO', 'slipway')", app);
            Db.update("UPDATE apps SET current_release_id = ? WHERE id = ?", release, app);
            Db.update("INSERT INTO instances (id, app_id, release_id, worker_id, state) VALUES (?, ?, ?, ?::uuid,"
                    + " 'assigned')", instance, app, release, workerId);
            InstanceRows.workerChanged(workerId);

            await("the instance runs and is healthy", Duration.ofSeconds(90), () -> Db.count("SELECT count(*)"
                    + " FROM instances WHERE id = ? AND state = 'running' AND healthy AND endpoint IS NOT NULL"
                    + " AND container_id IS NOT NULL", instance) == 1, engine);
            String endpoint = endpointOf(instance);
            assertTrue(endpoint.startsWith(engine.networkPool().substring(0, engine.networkPool().indexOf('.', 3))),
                    endpoint + " is not on one of the engine's networks");
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + endpoint + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("hello-slipway", page.body().strip(), "release env with the app config on top");

            engine.kill9();
            await("the killed engine's worker is lost", Duration.ofSeconds(40), () -> Db.count("SELECT count(*)"
                    + " FROM workers WHERE id = ?::uuid AND state = 'lost'", workerId) == 1
                    && Db.count("SELECT count(*) FROM instances WHERE id = ? AND state = 'lost' AND NOT healthy",
                    instance) == 1, engine);

            // Restarted on its data dir with the same credential: its hello reports the container that ran on, and
            // the worker converges with what the platform wants by then (the scheduler may have given the lost row
            // up and placed a replacement): exactly one healthy instance of the app, and no other row left.
            engine.restart();
            assertEquals(workerId, engine.workerId());
            await("the restarted engine is ready and the app runs once, healthy", Duration.ofSeconds(120),
                    () -> Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state = 'ready'", workerId)
                            == 1 && Db.count("SELECT count(*) FROM instances WHERE app_id = ? AND worker_id = ?::uuid"
                            + " AND desired_state = 'running' AND state = 'running' AND healthy", app, workerId) == 1
                            && Db.count("SELECT count(*) FROM instances WHERE app_id = ?", app) == 1, engine);

            // Removed: the stream is closed and the credential refused; the agent stops for good.
            Workers.remove(workerId);
            await("the agent gave up after its credential was refused", Duration.ofSeconds(60),
                    () -> engine.recentOutput().contains("worker agent stopped"), engine);
            assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state = 'removed'"
                    + " AND connected_to IS NULL", workerId));
        }
    }
}
