package dev.slipway.billing.metering;

import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns workers' cumulative cgroup counters into usage records, each interval exactly once.
 *
 * <p>The usage of a report is the counter delta since the instance's cursor (the last accepted report),
 * over the interval {@code (cursor.observedAt, report.observedAt]}:
 * <ul>
 *   <li><b>Duplicate or late</b> reports ({@code observedAt} not after the cursor) add nothing: the
 *       counters are cumulative, so a later report already covered that time.</li>
 *   <li><b>Counter reset</b> (CPU time or running time went down: the container restarted) means the new
 *       counters count from the restart, so they are the delta themselves. Usage between the last report
 *       before the crash and the crash is not seen and not billed: at most one interval, in the tenant's
 *       favour.</li>
 *   <li><b>First report</b> of an instance covers the time since its container started.</li>
 *   <li>The running-time delta is capped at the wall-clock length of the interval, so a confused counter
 *       can never bill more seconds than passed.</li>
 *   <li><b>Lost worker</b>: nothing accrues without reports, so usage ends at the last report;
 *       {@link #end} closes the instance so that a worker coming back later cannot bill the gap.</li>
 * </ul>
 * Reserved meters are {@code limit x running-time delta}; the used meters record actual CPU time and
 * memory in use for insight.
 */
public final class UsageMeter {

    /** What happened to a report. */
    public enum Outcome { METERED, RESTART_METERED, DUPLICATE, LATE, INSTANCE_ENDED }

    public record Result(Outcome outcome, List<UsageRecord> records) {
    }

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal BYTES_PER_GIB = BigDecimal.valueOf(1L << 30);
    private static final int MAX_ATTEMPTS = 5;

    private final UsageRepository repository;

    public UsageMeter(UsageRepository repository) {
        this.repository = Objects.requireNonNull(repository);
    }

    public Result ingest(InstanceReport report) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<InstanceCursor> cursor = repository.cursor(report.instance());
            Optional<Outcome> skip = cursor.flatMap(c -> skipReason(c, report));
            if (skip.isPresent()) {
                return new Result(skip.get(), List.of());
            }
            boolean reset = cursor.isPresent() && isReset(cursor.get(), report);
            List<UsageRecord> records = measure(cursor.filter(c -> !reset), cursor.map(InstanceCursor::observedAt), report);
            var next = new InstanceCursor(report.instance(), report.observedAt(), report.cpuUsageNanos(),
                    report.running(), false);
            if (repository.commit(cursor, next, records)) {
                return new Result(reset ? Outcome.RESTART_METERED : Outcome.METERED, records);
            }
        }
        throw new IllegalStateException("instance " + report.instance() + " is metered concurrently; giving up after "
                + MAX_ATTEMPTS + " attempts");
    }

    /** Stops metering an instance (it was stopped, or its worker was lost): later reports are ignored. */
    public void end(String instance) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<InstanceCursor> cursor = repository.cursor(instance);
            if (cursor.map(InstanceCursor::ended).orElse(false)) {
                return;
            }
            InstanceCursor ended = cursor.map(InstanceCursor::end)
                    .orElse(new InstanceCursor(instance, Instant.EPOCH, 0, Duration.ZERO, true));
            if (repository.commit(cursor, ended, List.of())) {
                return;
            }
        }
        throw new IllegalStateException("instance " + instance + " is metered concurrently");
    }

    private static Optional<Outcome> skipReason(InstanceCursor cursor, InstanceReport report) {
        if (cursor.ended()) {
            return Optional.of(Outcome.INSTANCE_ENDED);
        }
        int order = report.observedAt().compareTo(cursor.observedAt());
        if (order == 0) {
            return Optional.of(Outcome.DUPLICATE);
        }
        return order < 0 ? Optional.of(Outcome.LATE) : Optional.empty();
    }

    private static boolean isReset(InstanceCursor cursor, InstanceReport report) {
        return report.cpuUsageNanos() < cursor.cpuUsageNanos() || report.running().compareTo(cursor.running()) < 0;
    }

    /**
     * @param baseline the counters to subtract, empty when they count from zero (first report, restart)
     * @param previousReportAt when the interval may start at the earliest
     */
    private static List<UsageRecord> measure(Optional<InstanceCursor> baseline, Optional<Instant> previousReportAt,
                                             InstanceReport report) {
        Instant end = report.observedAt();
        Instant start = baseline.map(InstanceCursor::observedAt).orElseGet(() -> {
            Instant sinceStart = end.minus(report.running());
            return previousReportAt.filter(sinceStart::isBefore).orElse(sinceStart);
        });
        Duration running = report.running().minus(baseline.map(InstanceCursor::running).orElse(Duration.ZERO));
        Duration wallClock = Duration.between(start, end);
        if (running.compareTo(wallClock) > 0) {
            running = wallClock;
        }
        BigDecimal seconds = seconds(running);
        BigDecimal cpuSeconds = BigDecimal.valueOf(report.cpuUsageNanos() - baseline.map(InstanceCursor::cpuUsageNanos).orElse(0L))
                .divide(NANOS_PER_SECOND);
        BigDecimal memoryLimitGib = gib(report.memoryLimitBytes());

        var records = new ArrayList<UsageRecord>();
        add(records, report, Meter.VCPU_SECONDS, report.cpuLimit().multiply(seconds), start, end);
        add(records, report, Meter.MEMORY_GB_SECONDS, memoryLimitGib.multiply(seconds), start, end);
        add(records, report, Meter.CPU_SECONDS_USED, cpuSeconds, start, end);
        add(records, report, Meter.MEMORY_GB_SECONDS_USED, gib(report.memoryBytes()).multiply(seconds), start, end);
        return records;
    }

    private static void add(List<UsageRecord> records, InstanceReport report, Meter meter, BigDecimal quantity,
                            Instant start, Instant end) {
        if (quantity.signum() > 0) {
            records.add(new UsageRecord(report.tenant(), report.app(), report.instance(), meter,
                    quantity.stripTrailingZeros(), start, end));
        }
    }

    private static BigDecimal seconds(Duration d) {
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    }

    /** Exact: a power of two always divides into a terminating decimal. */
    private static BigDecimal gib(long bytes) {
        return BigDecimal.valueOf(bytes).divide(BYTES_PER_GIB);
    }
}
