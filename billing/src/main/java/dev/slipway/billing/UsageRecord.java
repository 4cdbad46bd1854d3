package dev.slipway.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A quantity of one meter consumed by one source over a half-open UTC interval {@code [start, end)}.
 *
 * <p>{@code instance} names the metered source: an app instance id, or for usage without an instance
 * a source id such as {@code registry:<repository>} or {@code build:<id>}. The pair (source, interval)
 * identifies the measurement, so the same measurement stored twice is recognised by its
 * {@link #idempotencyKey()} and counted once.
 */
public record UsageRecord(String tenant, String app, String instance, Meter meter, BigDecimal quantity,
                          Instant start, Instant end) {

    public UsageRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (quantity.signum() < 0) {
            throw new IllegalArgumentException("usage quantity must not be negative: " + quantity);
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("usage interval ends before it starts: " + start + " .. " + end);
        }
    }

    /** Source + interval + meter: one measurement of one meter. */
    public String idempotencyKey() {
        return instance + "@" + start + "/" + end + "#" + meter.wire();
    }
}
