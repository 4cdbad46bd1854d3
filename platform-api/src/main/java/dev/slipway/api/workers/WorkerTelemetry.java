package dev.slipway.api.workers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Hands {@code stats} and {@code logs} frames to whoever stores them (metering and the logs module). Either may
 * be missing from a build: then the frames are dropped with one warning, and no log record is acknowledged, so
 * the worker keeps them until a platform that stores logs acknowledges them.
 */
@ApplicationScoped
public class WorkerTelemetry {

    private static final Logger LOG = Logger.getLogger(WorkerTelemetry.class);

    @Inject
    Instance<WorkerStatsSink> statsSinks;

    @Inject
    Instance<WorkerLogSink> logSinks;

    private final AtomicBoolean warnedStats = new AtomicBoolean();
    private final AtomicBoolean warnedLogs = new AtomicBoolean();

    void stats(UUID workerId, Instant at, List<WorkerStatsSink.Sample> samples) {
        if (samples == null || samples.isEmpty()) {
            return;
        }
        if (!statsSinks.isResolvable()) {
            warnOnce(warnedStats, "no WorkerStatsSink is installed: worker stats are dropped");
            return;
        }
        statsSinks.get().store(workerId, at == null ? Instant.now() : at, samples);
    }

    /** Stores log records and returns what to acknowledge (instance id -> highest stored sequence). */
    Map<UUID, Long> logs(UUID workerId, List<WorkerLogSink.Record> records) {
        if (records == null || records.isEmpty()) {
            return Map.of();
        }
        if (!logSinks.isResolvable()) {
            warnOnce(warnedLogs, "no WorkerLogSink is installed: log records are not stored and not acknowledged");
            return Map.of();
        }
        return logSinks.get().store(workerId, records);
    }

    private static void warnOnce(AtomicBoolean warned, String message) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn(message);
        }
    }
}
