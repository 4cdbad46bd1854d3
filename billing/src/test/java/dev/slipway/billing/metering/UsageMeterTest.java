package dev.slipway.billing.metering;

import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageMeterTest {

    static final long MIB_128 = 128L << 20;
    private static final Instant T0 = Instant.parse("2026-11-05T10:00:00Z");

    private final InMemoryUsageRepository repository = new InMemoryUsageRepository();
    private final UsageMeter meter = new UsageMeter(repository);

    /** An instance with 0.5 vCPU and 128 MiB, observed {@code at} seconds after T0. */
    static InstanceReport report(long at, long runningSeconds, long cpuNanos) {
        return new InstanceReport("acme", "web", "i-1", T0.plusSeconds(at), cpuNanos, 64L << 20,
                new BigDecimal("0.5"), MIB_128, Duration.ofSeconds(runningSeconds));
    }

    private Map<Meter, BigDecimal> totals() {
        return totals(repository.usage("acme", T0.minusSeconds(86400), T0.plusSeconds(86400)));
    }

    static Map<Meter, BigDecimal> totals(List<UsageRecord> records) {
        return records.stream().collect(Collectors.groupingBy(UsageRecord::meter,
                Collectors.reducing(BigDecimal.ZERO, UsageRecord::quantity, BigDecimal::add)));
    }

    private static void assertQuantity(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + " but was " + actual);
    }

    @Test
    void firstReportCoversTheTimeSinceTheContainerStarted() {
        var result = meter.ingest(report(30, 30, 6_000_000_000L));
        assertEquals(UsageMeter.Outcome.METERED, result.outcome());
        assertEquals(T0, result.records().getFirst().start());
        assertEquals(T0.plusSeconds(30), result.records().getFirst().end());
        assertQuantity("15", totals().get(Meter.VCPU_SECONDS));               // 0.5 vCPU x 30 s
        assertQuantity("3.75", totals().get(Meter.MEMORY_GB_SECONDS));        // 0.125 GiB x 30 s
        assertQuantity("6", totals().get(Meter.CPU_SECONDS_USED));
        assertQuantity("1.875", totals().get(Meter.MEMORY_GB_SECONDS_USED));  // 64 MiB in use x 30 s
    }

    @Test
    void laterReportsAddTheDeltaSinceTheLastOne() {
        meter.ingest(report(30, 30, 6_000_000_000L));
        var second = meter.ingest(report(60, 60, 9_000_000_000L));
        assertEquals(T0.plusSeconds(30), second.records().getFirst().start());
        assertQuantity("30", totals().get(Meter.VCPU_SECONDS));
        assertQuantity("9", totals().get(Meter.CPU_SECONDS_USED));
    }

    @Test
    void duplicateAndLateReportsAddNothing() {
        meter.ingest(report(30, 30, 6_000_000_000L));
        meter.ingest(report(60, 60, 9_000_000_000L));
        assertEquals(UsageMeter.Outcome.DUPLICATE, meter.ingest(report(60, 60, 9_000_000_000L)).outcome());
        assertEquals(UsageMeter.Outcome.LATE, meter.ingest(report(45, 45, 7_000_000_000L)).outcome());
        assertQuantity("30", totals().get(Meter.VCPU_SECONDS));
    }

    @Test
    void aRestartCountsFromZeroInsteadOfSubtractingTheOldCounters() {
        meter.ingest(report(30, 30, 6_000_000_000L));
        meter.ingest(report(60, 60, 9_000_000_000L));
        // crashed at ~65 s, restarted at 80 s, reported at 90 s: counters are 10 s old
        var restart = meter.ingest(report(90, 10, 1_000_000_000L));
        assertEquals(UsageMeter.Outcome.RESTART_METERED, restart.outcome());
        assertEquals(T0.plusSeconds(80), restart.records().getFirst().start());
        assertQuantity("35", totals().get(Meter.VCPU_SECONDS));   // 30 + 0.5 x 10
        meter.ingest(report(120, 40, 4_000_000_000L));
        assertQuantity("50", totals().get(Meter.VCPU_SECONDS));   // + 0.5 x 30
        assertQuantity("13", totals().get(Meter.CPU_SECONDS_USED));
    }

    @Test
    void runningTimeIsNeverBilledBeyondTheWallClockOfTheInterval() {
        meter.ingest(report(30, 30, 0));
        meter.ingest(report(60, 500, 0)); // a confused counter claims 470 s in 30 s
        assertQuantity("30", totals().get(Meter.VCPU_SECONDS));
    }

    @Test
    void anEndedInstanceOfALostWorkerAccruesNothingAfterItsLastReport() {
        meter.ingest(report(30, 30, 6_000_000_000L));
        meter.end("i-1");
        // the worker comes back an hour later and reports the instance still running
        var late = meter.ingest(report(3630, 3630, 900_000_000_000L));
        assertEquals(UsageMeter.Outcome.INSTANCE_ENDED, late.outcome());
        assertTrue(late.records().isEmpty());
        assertQuantity("15", totals().get(Meter.VCPU_SECONDS));
        meter.end("i-1"); // ending twice is harmless
        meter.end("never-reported");
        assertEquals(UsageMeter.Outcome.INSTANCE_ENDED, meter.ingest(new InstanceReport("acme", "web", "never-reported",
                T0, 0, 0, BigDecimal.ONE, MIB_128, Duration.ofSeconds(5))).outcome());
    }

    @Test
    void aReportLostInTransitIsCoveredByTheNextOne() {
        meter.ingest(report(30, 30, 6_000_000_000L));
        // the report at 60 s never arrives
        var next = meter.ingest(report(90, 90, 12_000_000_000L));
        assertEquals(T0.plusSeconds(30), next.records().getFirst().start());
        assertQuantity("45", totals().get(Meter.VCPU_SECONDS));
    }
}
