package dev.slipway.api.workers;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a worker session hands the log records its worker sends ({@code logs} frames, docs/worker-protocol.md).
 * Implemented by the logs module; the session acknowledges to the worker exactly what {@link #store} returns.
 */
public interface WorkerLogSink {

    /** One log line (or piece of a long one) as the worker sent it. */
    record Record(UUID instanceId, long seq, String stream, Instant time, String line, boolean partial) {
    }

    /**
     * Stores the records durably (duplicates by instance and sequence are dropped) and returns, per instance, the
     * highest sequence number up to which everything is now stored. Records of instances that are not on
     * {@code workerId} are refused (left out of the result), so a worker can never write into another's logs.
     */
    Map<UUID, Long> store(UUID workerId, List<Record> records);
}
