package dev.slipway.api.workers;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where a worker session hands its worker's periodic {@code stats} frames (docs/worker-protocol.md): metering
 * for billing and the metrics the dashboard charts. Counters are cumulative since the container started.
 */
public interface WorkerStatsSink {

    record Sample(UUID instanceId, String containerId, Instant startedAt, long cpuUsageNanos, long memoryBytes,
            long memoryLimitBytes, int pids) {
    }

    /** Samples of instances that are not on {@code workerId} are ignored. Must be idempotent for a repeated frame. */
    void store(UUID workerId, Instant at, List<Sample> samples);
}
