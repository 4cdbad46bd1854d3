package dev.slipway.billing.metering;

import java.time.Duration;
import java.time.Instant;

/**
 * How far an instance's usage has been metered: the counters of the last accepted report. Usage is
 * only ever recorded between two consecutive cursors, so no instant is counted twice. An {@code ended}
 * cursor (the instance stopped, or its worker was lost) accepts no further reports.
 */
public record InstanceCursor(String instance, Instant observedAt, long cpuUsageNanos, Duration running,
                             boolean ended) {

    public InstanceCursor end() {
        return new InstanceCursor(instance, observedAt, cpuUsageNanos, running, true);
    }
}
