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
import dev.slipway.api.router.AppRouter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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

    @Inject
    AppRouter router;

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

    /**
     * Writes app {@code web} (one replica of {@code digest}, an httpd on 8080 printing $GREETING-$WHO) and its
     * instance placed on {@code workerId} in one transaction: a scheduler pass between an app with a current
     * release and its instance row would place an instance of its own, and the test would then see two.
     */
    private static void placeInstance(String tenant, String digest, UUID app, UUID instance, String workerId) {
        UUID release = UUID.randomUUID();
        Db.transaction(tx -> {
            tx.update("INSERT INTO apps (id, tenant_id, name, desired_replicas, last_release)"
                    + " SELECT ?, id, 'web', 1, 1 FROM tenants WHERE name = ?", app, tenant);
            tx.update("INSERT INTO releases (id, app_id, version, image, image_digest, command, env, port,"
                    + " replicas, cpu, memory_mb, pids, status) VALUES (?, ?, 1, ?, ?, ?::jsonb,"
                    + " '{\"GREETING\": \"hello\"}', 8080, 1, 0.5, 64, 64, 'running')", release, app,
                    tenant + "/web:1", digest, "[\"/bin/sh\", \"-c\", \"/bin/busybox mkdir -p /www && echo"
                            + " $GREETING-$WHO > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www\"]");
            tx.update("INSERT INTO app_config (app_id, key, value) VALUES (?, 'WHO', 'slipway')", app);
            tx.update("UPDATE apps SET current_release_id = ? WHERE id = ?", release, app);
            tx.update("INSERT INTO instances (id, app_id, release_id, worker_id, state) VALUES (?, ?, ?,"
                    + " ?::uuid, 'assigned')", instance, app, release, workerId);
        });
    }

    /**
     * Waits until {@code engine} is a ready worker, places the instance on it ({@link #placeInstance}), tells it,
     * and waits until the instance runs, healthy, with an endpoint.
     */
    private static void runInstance(EngineWorker engine, String tenant, String digest, UUID app, UUID instance) {
        String workerId = engine.workerId();
        await("the engine is ready", Duration.ofSeconds(60), () -> Db.count("SELECT count(*) FROM workers"
                + " WHERE id = ?::uuid AND state = 'ready' AND connected_to IS NOT NULL AND cpu > 0"
                + " AND memory_mb > 0 AND engine_version IS NOT NULL", workerId) == 1, engine);
        placeInstance(tenant, digest, app, instance, workerId);
        InstanceRows.workerChanged(workerId);
        await("the instance runs and is healthy", Duration.ofSeconds(90), () -> Db.count("SELECT count(*)"
                + " FROM instances WHERE id = ? AND state = 'running' AND healthy AND endpoint IS NOT NULL"
                + " AND container_id IS NOT NULL", instance) == 1, engine);
    }

    @Test
    void aRealEngineJoinsRunsItsAssignmentAndIsReconciledAfterAKill() throws Exception {
        RegistryUser owner = RegistryUser.create("engowner");
        String tenant = Api.createTenant(owner.user(), "eng");
        String digest = TestImage.busybox(Files.createTempDirectory("engine-worker-image"), 0).push(owner, tenant + "/web", "1").toString();
        String apiUrl = base.toString().replaceAll("/$", "");

        try (EngineWorker engine = EngineWorker.start(apiUrl, Workers.joinToken(1), "engine-test")) {
            String workerId = engine.workerId();
            // What the scheduler would write: one instance of a private image placed on this worker.
            UUID app = UUID.randomUUID();
            UUID instance = UUID.randomUUID();
            runInstance(engine, tenant, digest, app, instance);
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

    @Test
    void anAdvertisedWorkerPublishesTheAppPortThereAndTheRouterServesThroughIt() throws Exception {
        RegistryUser owner = RegistryUser.create("advowner");
        String tenant = Api.createTenant(owner.user(), "adv");
        String digest = TestImage.busybox(Files.createTempDirectory("advertised-worker-image"), 0)
                .push(owner, tenant + "/web", "1").toString();
        String apiUrl = base.toString().replaceAll("/$", "");

        try (EngineWorker engine = EngineWorker.start(apiUrl, Workers.joinToken(1), "engine-adv", "--advertise",
                "127.0.0.1")) {
            UUID app = UUID.randomUUID();
            UUID instance = UUID.randomUUID();
            runInstance(engine, tenant, digest, app, instance);
            String endpoint = endpointOf(instance);
            assertTrue(endpoint.matches("127\\.0\\.0\\.1:[0-9]+"), endpoint + " is not on the advertised address");
            int hostPort = Integer.parseInt(endpoint.substring(endpoint.indexOf(':') + 1));
            assertTrue(hostPort != 8080, "a host port the engine chose, not the app's: " + endpoint);

            String host = "web." + tenant + ".localhost";
            String page = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!page.startsWith("hello-slipway") && System.nanoTime() < deadline) {
                page = throughRouter(host);
                Thread.sleep(200);
            }
            assertEquals("hello-slipway\n200", page.strip().replace("\n\n", "\n"), "the page through the router");

            // the platform no longer wants it: the worker stops it and frees the host port
            Db.update("UPDATE apps SET desired_replicas = 0 WHERE id = ?", app);
            Db.count("SELECT count(*) FROM (SELECT pg_notify('slipway_reconcile', ?)) n", app.toString());
            await("the instance is stopped and its row gone", Duration.ofSeconds(60), () -> Db.count("SELECT count(*)"
                    + " FROM instances WHERE id = ?", instance) == 0, engine);
            try (java.net.ServerSocket free = new java.net.ServerSocket()) {
                free.bind(new java.net.InetSocketAddress("127.0.0.1", hostPort));
            }
        }
    }

    /** GET / of {@code host} through the platform's router with curl: the body, then the status on its own line. */
    private String throughRouter(String host) throws Exception {
        int port = router.port();
        Process p = new ProcessBuilder("curl", "-sS", "--max-time", "5", "-w", "\n%{http_code}", "--resolve",
                host + ":" + port + ":127.0.0.1", "http://" + host + ":" + port + "/").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
