package dev.slipway.api.workers;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The frames of the worker stream as Java records, named and shaped exactly as in docs/worker-protocol.md.
 * Inbound frames are read leniently (unknown fields ignored, missing ones null) so either side can be upgraded
 * first.
 */
final class WorkerMessages {

    private WorkerMessages() {
    }

    // --- worker -> API ---

    record Hello(String type, UUID workerId, String engineVersion, BigDecimal cpu, Integer memoryMb,
            List<InstanceStatus> instances) {
    }

    record InstanceStatus(UUID instanceId, String containerId, String state, Boolean healthy, String endpoint,
            Integer restarts, Integer exitCode, Boolean oomKilled, Instant startedAt, Instant finishedAt,
            String reason, List<String> lastLog) {
    }

    record Stats(String type, Instant at, List<WorkerStatsSink.Sample> samples) {
    }

    record Logs(String type, List<WorkerLogSink.Record> records) {
    }

    // --- API -> worker ---

    record Welcome(String type, UUID workerId, long heartbeatSeconds, long lostAfterSeconds, long statsSeconds,
            String registry) {

        Welcome(UUID workerId, long heartbeatSeconds, long lostAfterSeconds, long statsSeconds, String registry) {
            this("welcome", workerId, heartbeatSeconds, lostAfterSeconds, statsSeconds, registry);
        }
    }

    record Assign(String type, List<InstanceSpec> instances) {

        Assign(List<InstanceSpec> instances) {
            this("assign", instances);
        }
    }

    record InstanceSpec(UUID instanceId, String app, String tenant, String release, int generation, String image,
            PullAuth pullAuth, List<String> command, Map<String, String> env, int port, Resources resources,
            HealthCheck healthCheck, int stopGraceSeconds) {

        InstanceSpec withPullAuth(PullAuth auth) {
            return new InstanceSpec(instanceId, app, tenant, release, generation, image, auth, command, env, port,
                    resources, healthCheck, stopGraceSeconds);
        }
    }

    record PullAuth(String registryToken) {
    }

    record Resources(BigDecimal cpu, int memoryMb, int pids) {
    }

    record HealthCheck(String path, int intervalSeconds, int timeoutSeconds) {
    }

    record LogAck(String type, Map<String, Long> acks) {

        LogAck(Map<String, Long> acks) {
            this("logAck", acks);
        }
    }
}
