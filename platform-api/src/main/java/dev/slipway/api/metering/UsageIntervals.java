package dev.slipway.api.metering;

import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The usage between an instance's newest sample and the one before it. Counters are cumulative since the container
 * started, so the interval is measured as a difference of two samples and identified by its two ends: metering the
 * same pair twice gives the same records with the same idempotency keys.
 *
 * <ul>
 *   <li>Same container run ({@code startedAt} unchanged): the interval is {@code (previous.at, sample.at]}, CPU used
 *       is the difference of the counters.</li>
 *   <li>Restart ({@code startedAt} changed) or first sample: the counters count from the start, so the interval
 *       begins at {@code startedAt} (not before the previous sample) and CPU used is the counter itself. The time
 *       between the last sample of the old run and its end is not seen and not billed: at most one stats interval,
 *       in the tenant's favour.</li>
 *   <li>Gap longer than {@code maxGap} (lost worker, broken stream, API down): nothing is billed for it; usage ended
 *       with the last sample and starts again with this one.</li>
 * </ul>
 * Reserved meters are the release's limits times the interval's length; the {@code _used} meters record actual use.
 */
final class UsageIntervals {

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);
    private static final BigDecimal BYTES_PER_GIB = BigDecimal.valueOf(1L << 30);

    private UsageIntervals() {
    }

    static List<UsageRecord> between(MeteredInstance instance, Optional<StoredSample> previous, StoredSample sample,
            Duration maxGap) {
        boolean sameRun = previous.map(p -> p.startedAt().equals(sample.startedAt())).orElse(false);
        Instant start = sameRun ? previous.get().at() : sample.startedAt();
        if (!sameRun && previous.isPresent() && previous.get().at().isAfter(start)) {
            start = previous.get().at();
        }
        Instant end = sample.at();
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(maxGap) > 0) {
            return List.of();
        }
        long cpuNanos = sample.cpuUsageNanos() - (sameRun ? previous.get().cpuUsageNanos() : 0);
        BigDecimal seconds = seconds(Duration.between(start, end));
        List<UsageRecord> records = new ArrayList<>(4);
        add(records, instance, Meter.VCPU_SECONDS, instance.cpu().multiply(seconds), start, end);
        add(records, instance, Meter.MEMORY_GB_SECONDS,
                BigDecimal.valueOf(instance.memoryMb()).divide(MIB_PER_GIB).multiply(seconds), start, end);
        add(records, instance, Meter.CPU_SECONDS_USED,
                BigDecimal.valueOf(Math.max(0, cpuNanos)).divide(NANOS_PER_SECOND), start, end);
        add(records, instance, Meter.MEMORY_GB_SECONDS_USED,
                BigDecimal.valueOf(sample.memoryBytes()).divide(BYTES_PER_GIB).multiply(seconds), start, end);
        return records;
    }

    private static void add(List<UsageRecord> records, MeteredInstance instance, Meter meter, BigDecimal quantity,
            Instant start, Instant end) {
        if (quantity.signum() > 0) {
            records.add(new UsageRecord(instance.tenantName(), instance.appName(), instance.instanceId().toString(),
                    meter, quantity.stripTrailingZeros(), start, end));
        }
    }

    private static BigDecimal seconds(Duration d) {
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    }
}
