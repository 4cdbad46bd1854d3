package dev.slipway.billing.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a worker reports about one running instance at a fixed interval, straight from its cgroup.
 * Counters are cumulative since the instance's container started and restart from zero when it restarts.
 *
 * @param observedAt      when the worker read the counters (worker clock, UTC)
 * @param cpuUsageNanos   cumulative CPU time used (cgroup {@code cpuacct.usage} / {@code cpu.stat usage_usec})
 * @param memoryBytes     memory in use at {@code observedAt}
 * @param cpuLimit        reserved vCPUs (the CPU quota, e.g. 0.5)
 * @param memoryLimitBytes reserved memory (the memory limit)
 * @param running         how long the container has been running since it (re)started
 */
public record InstanceReport(String tenant, String app, String instance, Instant observedAt,
                             long cpuUsageNanos, long memoryBytes, BigDecimal cpuLimit, long memoryLimitBytes,
                             Duration running) {

    public InstanceReport {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(cpuLimit, "cpuLimit");
        Objects.requireNonNull(running, "running");
        if (cpuUsageNanos < 0 || memoryBytes < 0 || memoryLimitBytes < 0 || cpuLimit.signum() < 0
                || running.isNegative()) {
            throw new IllegalArgumentException("instance report counters must not be negative");
        }
    }
}
