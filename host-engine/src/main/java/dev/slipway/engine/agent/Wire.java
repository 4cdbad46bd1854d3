package dev.slipway.engine.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The frames of docs/worker-protocol.md as Java records: what the worker sends up and reads down. Field names are
 * the wire names; unknown fields of frames read are ignored (the engine's object mapper does not fail on them).
 */
public final class Wire {

    private Wire() {
    }

    // --- worker -> API ---------------------------------------------------------------------------------------

    @JsonPropertyOrder({"type"})
    public record Hello(String workerId, String engineVersion, double cpu, long memoryMb,
                        List<InstanceStatus> instances) {
        @JsonProperty("type")
        public String type() {
            return "hello";
        }
    }

    @JsonPropertyOrder({"type"})
    public record Heartbeat(String at) {
        @JsonProperty("type")
        public String type() {
            return "heartbeat";
        }
    }

    /**
     * One instance as the worker sees it. {@code state}: pulling, starting, running, crash-loop, stopping, stopped,
     * failed. Sent inside {@code hello} and, with a {@code type}, as an {@link InstanceFrame}.
     */
    public record InstanceStatus(String instanceId, String containerId, String state, boolean healthy,
                                 String endpoint, int restarts, Integer exitCode, boolean oomKilled,
                                 String startedAt, String finishedAt, String reason, List<String> lastLog) {
    }

    /** {@code {"type":"instance", ...InstanceStatus}}: the status fields flattened into the frame. */
    @JsonPropertyOrder({"type"})
    public record InstanceFrame(String instanceId, String containerId, String state, boolean healthy,
                                String endpoint, int restarts, Integer exitCode, boolean oomKilled,
                                String startedAt, String finishedAt, String reason, List<String> lastLog) {
        public static InstanceFrame of(InstanceStatus s) {
            return new InstanceFrame(s.instanceId(), s.containerId(), s.state(), s.healthy(), s.endpoint(),
                    s.restarts(), s.exitCode(), s.oomKilled(), s.startedAt(), s.finishedAt(), s.reason(),
                    s.lastLog());
        }

        @JsonProperty("type")
        public String type() {
            return "instance";
        }
    }

    @JsonPropertyOrder({"type"})
    public record Stats(String at, List<StatsSample> samples) {
        @JsonProperty("type")
        public String type() {
            return "stats";
        }
    }

    /** Cumulative counters since {@code startedAt} (a new start resets them). */
    public record StatsSample(String instanceId, String containerId, String startedAt, long cpuUsageNanos,
                              long memoryBytes, long memoryLimitBytes, long pids) {
    }

    // --- API -> worker ---------------------------------------------------------------------------------------

    public record Welcome(String workerId, Integer heartbeatSeconds, Integer lostAfterSeconds, Integer statsSeconds,
                          String registry) {
    }

    public record Assign(List<InstanceSpec> instances) {
    }

    public record LogAck(Map<String, Long> acks) {
    }

    /** What one instance must be; {@code image} is pinned by digest. */
    public record InstanceSpec(String instanceId, String app, String tenant, String release, long generation,
                               String image, PullAuth pullAuth, List<String> command, Map<String, String> env,
                               Integer port, Resources resources, HealthCheck healthCheck,
                               Integer stopGraceSeconds) {

        /** The same spec without its short-lived pull token (what is kept on disk). */
        public InstanceSpec withoutPullAuth() {
            return new InstanceSpec(instanceId, app, tenant, release, generation, image, null, command, env, port,
                    resources, healthCheck, stopGraceSeconds);
        }

        /** The port the app listens on, or null when it has none (absent, or 0 from an API that sends ints). */
        public Integer appPort() {
            return port == null || port <= 0 ? null : port;
        }

        public int stopGrace() {
            return stopGraceSeconds == null || stopGraceSeconds < 0 ? 10 : stopGraceSeconds;
        }
    }

    public record PullAuth(String registryToken) {
    }

    public record Resources(Double cpu, Long memoryMb, Long pids) {
    }

    public record HealthCheck(String path, Integer intervalSeconds, Integer timeoutSeconds) {
        public int interval() {
            return intervalSeconds == null || intervalSeconds < 1 ? 2 : intervalSeconds;
        }

        public int timeout() {
            return timeoutSeconds == null || timeoutSeconds < 1 ? 1 : timeoutSeconds;
        }
    }
}
