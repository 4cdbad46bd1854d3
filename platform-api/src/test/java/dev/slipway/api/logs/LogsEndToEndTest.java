package dev.slipway.api.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.registry.RegistryUser;
import dev.slipway.api.registry.TestImage;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.EngineWorker;
import dev.slipway.api.testsupport.Workers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's acceptance on the real path: a container on a real engine prints 100,000 numbered lines, the engine
 * is killed with SIGKILL mid-stream and restarted, and the API still returns each line exactly once, in order;
 * {@code docker logs} on the worker shows the same lines. Lines a container prints on SIGTERM, right before a
 * removal, are stored before the removal is reported.
 */
@QuarkusTest
class LogsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOTAL = 100_000;

    @TestHTTPResource("/")
    URL base;

    @Test
    void hundredThousandLinesFromARealContainerSurviveAKilledEngine() throws Exception {
        RegistryUser owner = RegistryUser.create("logse2e");
        String tenant = Api.createTenant(owner.user(), "logse2e");
        String digest = TestImage.busybox(Files.createTempDirectory("logs-e2e-image"), 0).push(owner, tenant + "/printer", "1").toString();
        try (EngineWorker engine = EngineWorker.start(base.toString().replaceAll("/$", ""), Workers.joinToken(1),
                "logs-e2e")) {
            String workerId = engine.workerId();
            await("the engine is ready", () -> Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid"
                    + " AND state = 'ready' AND connected_to IS NOT NULL", workerId) == 1, engine);
            UUID instance = place(tenant, digest, JSON.writeValueAsString(java.util.List.of("/bin/sh", "-c",
                    "i=0; while [ $i -lt " + TOTAL + " ]; do echo \"line $i\"; i=$((i+1)); done;"
                    + " exec /bin/busybox sleep 3600")), workerId);
            await("lines arrive", () -> stored(instance) >= 5_000, engine);
            engine.kill9(); // mid-stream: the container and its monitor run on, the engine's memory is gone
            long atKill = stored(instance);
            engine.restart();
            await("all lines are stored after the restart", () -> stored(instance) == TOTAL, engine);
            System.out.println("logs e2e: " + atKill + " lines were stored when the engine was killed");

            String body = owner.user().api().get("/api/v1/tenants/" + tenant + "/apps/printer/logs?instance=" + instance).then()
                    .statusCode(200).extract().asString();
            assertEveryLineOnceInOrder(body, TOTAL, instance);

            String containerId = containerOf(instance);
            Process docker = new ProcessBuilder("docker", "-H", "unix://" + engine.socket(), "logs", containerId)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] dockerLines = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .split("\n");
            docker.waitFor(60, TimeUnit.SECONDS);
            assertEquals(TOTAL, dockerLines.length, "docker logs on the worker shows the same lines");
            for (int i = 0; i < TOTAL; i++) {
                assertEquals("line " + i, dockerLines[i]);
            }
        }
    }

    @Test
    void linesPrintedOnStopArriveBeforeTheContainerIsRemoved() throws Exception {
        RegistryUser owner = RegistryUser.create("logsdrain");
        String tenant = Api.createTenant(owner.user(), "logsdrain");
        String digest = TestImage.busybox(Files.createTempDirectory("logs-drain-image"), 0).push(owner, tenant + "/printer", "1").toString();
        int lastWords = 20_000;
        // the lines come after SIGTERM, right before the exit, so only a drain between stop and remove saves them
        String command = JSON.writeValueAsString(java.util.List.of("/bin/sh", "-c", "trap 'j=0; while [ $j -lt "
                + lastWords + " ]; do echo \"bye $j\"; j=$((j+1)); done; exit 0' TERM; echo ready;"
                + " while true; do /bin/busybox sleep 1; done"));
        try (EngineWorker engine = EngineWorker.start(base.toString().replaceAll("/$", ""), Workers.joinToken(1),
                "logs-drain")) {
            String workerId = engine.workerId();
            await("the engine is ready", () -> Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid"
                    + " AND state = 'ready' AND connected_to IS NOT NULL", workerId) == 1, engine);
            UUID instance = place(tenant, digest, command, workerId);
            await("the first line arrives", () -> stored(instance) == 1, engine);

            // what a scale-down writes: the worker stops the container, then removes it
            Db.update("UPDATE instances SET desired_state = 'stopped' WHERE id = ?", instance);
            Db.count("SELECT count(*) FROM (SELECT pg_notify('slipway_worker', ?)) n", workerId);
            await("the worker removed the instance", () -> Db.count("SELECT count(*) FROM instances WHERE id = ?",
                    instance) == 0, engine);
            assertEquals(1 + lastWords, stored(instance), "every line printed before the exit was stored before the"
                    + " removal was reported");
            assertEquals("bye " + (lastWords - 1), Db.value(String.class, "SELECT line FROM log_lines WHERE instance_id = ?"
                    + " ORDER BY seq DESC LIMIT 1", instance));
        }
    }

    /** What the scheduler would write: app {@code printer} with one release running {@code command}, placed here. */
    static UUID place(String tenant, String digest, String command, String workerId) {
        UUID app = UUID.randomUUID();
        UUID release = UUID.randomUUID();
        UUID instance = UUID.randomUUID();
        Db.update("INSERT INTO apps (id, tenant_id, name, desired_replicas, last_release)"
                + " SELECT ?, id, 'printer', 1, 1 FROM tenants WHERE name = ?", app, tenant);
        Db.update("INSERT INTO releases (id, app_id, version, image, image_digest, command, env, port, replicas,"
                + " cpu, memory_mb, pids, status) VALUES (?, ?, 1, ?, ?, ?::jsonb, '{}', 8080, 1, 0.5, 64, 64,"
                + " 'running')", release, app, tenant + "/printer:1", digest, command);
        Db.update("UPDATE apps SET current_release_id = ? WHERE id = ?", release, app);
        Db.update("INSERT INTO instances (id, app_id, release_id, worker_id, state) VALUES (?, ?, ?, ?::uuid,"
                + " 'assigned')", instance, app, release, workerId);
        Db.count("SELECT count(*) FROM (SELECT pg_notify('slipway_worker', ?)) n", workerId);
        return instance;
    }

    /** A logs API answer (ndjson) holds exactly "line 0" .. "line total-1" of the instance, in that order. */
    static void assertEveryLineOnceInOrder(String body, int total, UUID instance) throws Exception {
        String[] lines = body.split("\n");
        assertEquals(total, lines.length, "every line once");
        for (int i = 0; i < total; i++) {
            JsonNode line = JSON.readTree(lines[i]);
            assertEquals("line " + i, line.get("line").asText(), "in order");
            assertEquals(instance.toString(), line.get("instanceId").asText());
        }
    }

    /** Lines of this one instance (the scheduler may place more instances of the app on the worker). */
    static long stored(UUID instance) {
        return Db.count("SELECT count(*) FROM log_lines WHERE instance_id = ?", instance);
    }

    private static String containerOf(UUID instance) throws Exception {
        try (var c = dev.slipway.api.testsupport.PlatformTestResources.database().getConnection();
                var s = c.prepareStatement("SELECT container_id FROM instances WHERE id = ?")) {
            s.setObject(1, instance);
            try (var rows = s.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    static void await(String what, BooleanSupplier condition, EngineWorker engine) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; engine output:\n"
                        + engine.recentOutput());
            }
            Thread.sleep(200);
        }
    }
}
