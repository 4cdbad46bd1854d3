package dev.slipway.api.apps;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** JSON shapes the apps API returns. */
final class AppViews {

    private AppViews() {
    }

    record AppView(String name, String status, String currentRelease, String image, int desiredReplicas,
            int restartGeneration, List<InstanceView> instances, OffsetDateTime createdAt) {
    }

    record InstanceView(UUID id, String release, UUID worker, String state, String reason, int restarts,
            Integer lastExitCode, boolean oomKilled, OffsetDateTime startedAt) {
    }

    record ReleaseView(UUID id, String release, String image, String imageDigest, List<String> command,
            Map<String, String> env, int port, int replicas, ResourcesView resources, HealthView healthCheck,
            String rollbackOf, String status, String statusReason, String createdBy, OffsetDateTime createdAt) {
    }

    record ResourcesView(BigDecimal cpu, int memoryMb, int pids) {
    }

    record HealthView(String path, int intervalSeconds, int timeoutSeconds) {
    }

    record Accepted(UUID id, String release, String status) {
    }

    record ConfigView(Map<String, String> env, List<String> secrets) {
    }

    static String label(int version) {
        return "v" + version;
    }

    static ReleaseView release(Release r) {
        return new ReleaseView(r.id, label(r.version), r.image, r.imageDigest, r.command, r.env, r.port, r.replicas,
                new ResourcesView(r.cpu.stripTrailingZeros(), r.memoryMb, r.pids),
                r.healthPath == null ? null : new HealthView(r.healthPath, r.healthInterval, r.healthTimeout),
                r.rollbackOf == null ? null : label(r.rollbackOf), r.status, r.statusReason, r.createdBy,
                r.createdAt);
    }

    static AppView app(App app) {
        Release current = app.currentReleaseId == null ? null : Release.findById(app.currentReleaseId);
        Map<UUID, Integer> versions = new java.util.HashMap<>();
        List<InstanceView> instances = Instance.ofApp(app.id).stream().map(i -> new InstanceView(i.id,
                label(versions.computeIfAbsent(i.releaseId, id -> Release.<Release>findById(id).version)),
                i.workerId, i.state, i.stateReason, i.restarts, i.lastExitCode, i.oomKilled, i.startedAt)).toList();
        String status = current == null ? "new" : app.desiredReplicas == 0 ? "stopped" : current.status;
        return new AppView(app.name, status, current == null ? null : label(current.version),
                current == null ? null : current.image, app.desiredReplicas, app.restartGeneration, instances,
                app.createdAt);
    }
}
