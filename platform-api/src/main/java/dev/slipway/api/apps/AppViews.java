package dev.slipway.api.apps;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** JSON shapes the apps API returns. */
final class AppViews {

    private AppViews() {
    }

    record AppView(String name, String status, String statusReason, String currentRelease, String image,
            int desiredReplicas, int restartGeneration, List<InstanceView> instances, OffsetDateTime createdAt) {
    }

    record InstanceView(UUID id, String release, String worker, String desiredState, String state, String reason,
            boolean healthy, int restarts, Integer lastExitCode, boolean oomKilled, OffsetDateTime startedAt,
            List<String> lastLog) {
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
        Map<UUID, Integer> versions = new HashMap<>();
        Map<UUID, String> workers = new HashMap<>();
        List<Instance> rows = Instance.ofApp(app.id);
        List<InstanceView> instances = rows.stream().map(i -> new InstanceView(i.id,
                label(versions.computeIfAbsent(i.releaseId, id -> Release.<Release>findById(id).version)),
                i.workerId == null ? null : workers.computeIfAbsent(i.workerId, AppViews::workerName),
                i.desiredState, i.state, i.stateReason, i.healthy, i.restarts, i.lastExitCode, i.oomKilled,
                i.startedAt, i.lastLog == null ? List.of() : i.lastLog)).toList();
        AppStatus status = AppStatus.of(app, current, rows);
        return new AppView(app.name, status.status(), status.reason(), current == null ? null : label(current.version),
                current == null ? null : current.image, app.desiredReplicas, app.restartGeneration, instances,
                app.createdAt);
    }

    private static String workerName(UUID id) {
        List<?> names = Instance.getEntityManager().createNativeQuery("SELECT name FROM workers WHERE id = ?1")
                .setParameter(1, id).getResultList();
        return names.isEmpty() ? id.toString() : (String) names.getFirst();
    }
}
