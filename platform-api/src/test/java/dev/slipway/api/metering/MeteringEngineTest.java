package dev.slipway.api.metering;

import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.billing.PgUsageRepository;
import dev.slipway.api.registry.RegistryUser;
import dev.slipway.api.registry.TestImage;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.EngineWorker;
import dev.slipway.api.testsupport.PlatformTestResources;
import dev.slipway.api.testsupport.Workers;
import dev.slipway.billing.Meter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real engine as worker: an instance with 0.5 vCPU and 128 MiB runs busybox httpd; the worker's
 * own stats frames arrive through the worker stream and become samples, metrics and usage of 0.5 x its running time.
 */
@QuarkusTest
class MeteringEngineTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    PgUsageRepository usage;

    @Test
    void aRealWorkersStatsBecomeReservedUsageAndMetrics() throws Exception {
        RegistryUser owner = RegistryUser.create("metereng");
        String tenant = Api.createTenant(owner.user(), "metereng");
        TestImage image = TestImage.busybox(Files.createTempDirectory("metering-image"), 0);
        String digest = image.push(owner, tenant + "/web", "1").toString();
        String apiUrl = base.toString().replaceAll("/$", "");

        try (EngineWorker engine = EngineWorker.start(apiUrl, Workers.joinToken(1), "metering-engine")) {
            String workerId = engine.workerId();
            await("the engine is ready", Duration.ofSeconds(60), () -> Db.count("SELECT count(*) FROM workers"
                    + " WHERE id = ?::uuid AND state = 'ready' AND connected_to IS NOT NULL", workerId) == 1, engine);
            UUID app = UUID.randomUUID();
            UUID release = UUID.randomUUID();
            UUID instance = UUID.randomUUID();
            Db.update("INSERT INTO apps (id, tenant_id, name, desired_replicas, last_release)"
                    + " SELECT ?, id, 'web', 1, 1 FROM tenants WHERE name = ?", app, tenant);
            Db.update("INSERT INTO releases (id, app_id, version, image, image_digest, command, port, replicas,"
                    + " cpu, memory_mb, pids, status) VALUES (?, ?, 1, ?, ?, ?::jsonb, 8080, 1, 0.5, 128, 64,"
                    + " 'running')", release, app, tenant + "/web:1", digest,
                    "[\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/\"]");
            Db.update("UPDATE apps SET current_release_id = ? WHERE id = ?", release, app);
            Db.update("INSERT INTO instances (id, app_id, release_id, worker_id, state) VALUES (?, ?, ?, ?::uuid,"
                    + " 'assigned')", instance, app, release, workerId);
            Db.count("SELECT count(*) FROM (SELECT pg_notify('slipway_worker', ?)) n", workerId);

            await("three stats samples of the running instance", Duration.ofSeconds(120), () -> Db.count(
                    "SELECT count(*) FROM instance_samples WHERE instance_id = ?", instance) >= 3, engine);

            Instant startedAt = instantOf("SELECT min(started_at) FROM instance_samples WHERE instance_id = ?",
                    instance);
            Instant lastSample = instantOf("SELECT max(at) FROM instance_samples WHERE instance_id = ?", instance);
            BigDecimal ran = BigDecimal.valueOf(Duration.between(startedAt, lastSample).toMillis()).movePointLeft(3);
            BigDecimal expected = new BigDecimal("0.5").multiply(ran);
            BigDecimal billed = usage.total(tenant, Meter.VCPU_SECONDS, startedAt.minusSeconds(60),
                    lastSample.plusSeconds(60));
            assertTrue(billed.subtract(expected).abs().compareTo(expected.multiply(new BigDecimal("0.05"))) <= 0,
                    "vCPU-seconds " + billed + " not within 5% of 0.5 x " + ran + " s");
            BigDecimal memory = usage.total(tenant, Meter.MEMORY_GB_SECONDS, startedAt.minusSeconds(60),
                    lastSample.plusSeconds(60));
            assertTrue(memory.compareTo(billed.divide(new BigDecimal("4"))) == 0, "128 MiB is a quarter of 0.5 vCPU: "
                    + memory + " vs " + billed);

            owner.api().get("/api/v1/tenants/" + tenant + "/apps/web/metrics").then().statusCode(200)
                    .body("instances[0].points.size()", greaterThanOrEqualTo(3))
                    .body("instances[0].points[-1].cpuCores", notNullValue())
                    .body("instances[0].points[-1].memoryBytes", greaterThanOrEqualTo(1));
        }
    }

    private static Instant instantOf(String sql, UUID instance) {
        try (Connection c = PlatformTestResources.database().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, instance);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getObject(1, OffsetDateTime.class).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void await(String what, Duration limit, BooleanSupplier condition, EngineWorker engine)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; engine output:\n"
                        + engine.recentOutput());
            }
            Thread.sleep(250);
        }
    }
}
