package dev.slipway.api.metering;

import static dev.slipway.api.metering.StatsMetering.Outcome.DUPLICATE;
import static dev.slipway.api.metering.StatsMetering.Outcome.INVALID;
import static dev.slipway.api.metering.StatsMetering.Outcome.LATE;
import static dev.slipway.api.metering.StatsMetering.Outcome.METERED;
import static dev.slipway.api.metering.StatsMetering.Outcome.NOT_ON_WORKER;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.billing.PgUsageRepository;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.api.workers.WorkerStatsSink.Sample;
import dev.slipway.billing.Meter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The stats sink fed directly with crafted frames: repeats, late frames, restarts, gaps and foreign samples. */
@QuarkusTest
class StatsMeteringTest {

    @Inject
    StatsMetering sink;

    @Inject
    PgUsageRepository usage;

    @Inject
    SampleRetention retention;

    private static final Instant EPOCH_OF_TEST = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(20));

    private BigDecimal total(String tenant, Meter meter) {
        return usage.total(tenant, meter, EPOCH_OF_TEST.minus(Duration.ofHours(1)), Instant.now().plusSeconds(3600));
    }

    @Test
    void repeatedAndLateFramesCountOnceAndARestartDoesNotDoubleCount() {
        TestUser owner = TestUser.create("meter");
        String tenant = Api.createTenant(owner, "meter");
        MeteringFixture f = MeteringFixture.instance(tenant, "web", new BigDecimal("0.5"), 128);
        Instant s0 = EPOCH_OF_TEST;

        assertEquals(List.of(METERED), sink.meter(f.workerId(), s0.plusSeconds(10), List.of(f.sample(s0, 1000))));
        assertEquals(List.of(METERED), sink.meter(f.workerId(), s0.plusSeconds(20), List.of(f.sample(s0, 3000))));
        assertEquals(List.of(DUPLICATE), sink.meter(f.workerId(), s0.plusSeconds(20), List.of(f.sample(s0, 3000))));
        assertEquals(List.of(METERED), sink.meter(f.workerId(), s0.plusSeconds(30), List.of(f.sample(s0, 4000))));
        assertEquals(List.of(LATE), sink.meter(f.workerId(), s0.plusSeconds(25), List.of(f.sample(s0, 3500))));
        // the container restarted at +35 s: its counters start from zero again
        Instant r = s0.plusSeconds(35);
        assertEquals(List.of(METERED), sink.meter(f.workerId(), r.plusSeconds(5), List.of(f.sample(r, 200))));
        assertEquals(List.of(METERED), sink.meter(f.workerId(), r.plusSeconds(15), List.of(f.sample(r, 700))));
        assertEquals(List.of(DUPLICATE), sink.meter(f.workerId(), r.plusSeconds(15), List.of(f.sample(r, 700))));

        // 30 s of the first run and 15 s of the second; the 5 s between the last sample and the crash are unseen
        assertEquals(0, new BigDecimal("22.5").compareTo(total(tenant, Meter.VCPU_SECONDS)));
        assertEquals(0, new BigDecimal("5.625").compareTo(total(tenant, Meter.MEMORY_GB_SECONDS)));
        assertEquals(0, new BigDecimal("4.7").compareTo(total(tenant, Meter.CPU_SECONDS_USED)));
        assertEquals(0, new BigDecimal("1.40625").compareTo(total(tenant, Meter.MEMORY_GB_SECONDS_USED)));
    }

    @Test
    void usageEndsAtTheLastSampleBeforeAGapAndResumesAfterIt() {
        TestUser owner = TestUser.create("meter-gap");
        String tenant = Api.createTenant(owner, "metergap");
        MeteringFixture f = MeteringFixture.instance(tenant, "web", new BigDecimal("1"), 256);
        Instant s0 = EPOCH_OF_TEST;
        sink.meter(f.workerId(), s0.plusSeconds(10), List.of(f.sample(s0, 100)));
        sink.meter(f.workerId(), s0.plusSeconds(20), List.of(f.sample(s0, 200)));
        // worker lost for two minutes, then back with the same container still running
        sink.meter(f.workerId(), s0.plusSeconds(140), List.of(f.sample(s0, 300)));
        sink.meter(f.workerId(), s0.plusSeconds(150), List.of(f.sample(s0, 400)));
        assertEquals(0, new BigDecimal("30").compareTo(total(tenant, Meter.VCPU_SECONDS)));
        // the first sample of a container that started long before any sample bills nothing up to it
        MeteringFixture g = MeteringFixture.instance(tenant, "old", new BigDecimal("1"), 256);
        sink.meter(g.workerId(), s0.plusSeconds(600), List.of(g.sample(s0, 100)));
        assertEquals(0, new BigDecimal("30").compareTo(total(tenant, Meter.VCPU_SECONDS)));
    }

    @Test
    void samplesOfInstancesNotOnTheReportingWorkerAndMalformedOnesAreIgnored() {
        TestUser owner = TestUser.create("meter-foreign");
        String tenant = Api.createTenant(owner, "meterfo");
        MeteringFixture f = MeteringFixture.instance(tenant, "web", new BigDecimal("0.5"), 128);
        UUID stranger = MeteringFixture.otherWorker();
        Instant s0 = EPOCH_OF_TEST;
        Sample broken = new Sample(f.instanceId(), "c", null, 1, 1, 1, 1);
        Sample unknown = new Sample(UUID.randomUUID(), "c", s0, 1, 1, 1, 1);
        assertEquals(List.of(NOT_ON_WORKER), sink.meter(stranger, s0.plusSeconds(10), List.of(f.sample(s0, 10))));
        assertEquals(List.of(INVALID, NOT_ON_WORKER, METERED),
                sink.meter(f.workerId(), s0.plusSeconds(10), List.of(broken, unknown, f.sample(s0, 10))));
        assertEquals(1, Db.count("SELECT count(*) FROM instance_samples WHERE app_id = ?", f.appId()));
        assertEquals(0, new BigDecimal("5").compareTo(total(tenant, Meter.VCPU_SECONDS)));
    }

    @Test
    void metricsShowEachInstancesPointsToViewersAndNothingToOtherTenants() {
        TestUser owner = TestUser.create("metrics");
        String tenant = Api.createTenant(owner, "metrics");
        TestUser viewer = TestUser.create("metrics-viewer");
        Api.addMember(owner, tenant, viewer, "viewer");
        MeteringFixture f = MeteringFixture.instance(tenant, "web", new BigDecimal("0.5"), 128);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant s0 = now.minusSeconds(60);
        sink.meter(f.workerId(), now.minusSeconds(20), List.of(f.sample(s0, 4_000)));
        sink.meter(f.workerId(), now.minusSeconds(10), List.of(f.sample(s0, 6_500)));
        sink.meter(f.workerId(), now.minusSeconds(3 * 3600), List.of(f.sample(s0.minusSeconds(3 * 3600), 1)));

        String path = "/api/v1/tenants/" + tenant + "/apps/web/metrics";
        viewer.api().get(path).then().statusCode(200)
                .body("instances", hasSize(1))
                .body("instances[0].instanceId", equalTo(f.instanceId().toString()))
                .body("instances[0].points", hasSize(2))
                .body("instances[0].points[0].cpuCores", nullValue())
                .body("instances[0].points[1].cpuCores", equalTo(0.25f))
                .body("instances[0].points[1].memoryBytes", equalTo(32 << 20))
                .body("instances[0].points[1].memoryLimitBytes", equalTo(128 << 20));
        viewer.api().queryParam("since", now.minusSeconds(15).toString()).get(path).then().statusCode(200)
                .body("instances[0].points", hasSize(1));
        viewer.api().queryParam("since", "yesterday").get(path).then().statusCode(400)
                .body("error.code", equalTo("INVALID_FIELD")).body("error.message", org.hamcrest.Matchers.containsString("since"));
        viewer.api().get("/api/v1/tenants/" + tenant + "/apps/nope/metrics").then().statusCode(404)
                .body("error.code", equalTo("APP_NOT_FOUND"));

        TestUser outsider = TestUser.create("metrics-out");
        Api.createTenant(outsider, "metricsout");
        outsider.api().get(path).then().statusCode(404).body("error.code", equalTo("TENANT_NOT_FOUND"));

        // retention drops the three-hour-old sample, keeps the recent ones
        retention.prune();
        assertEquals(2, Db.count("SELECT count(*) FROM instance_samples WHERE app_id = ?", f.appId()));
    }
}
