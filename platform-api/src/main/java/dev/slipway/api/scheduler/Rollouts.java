package dev.slipway.api.scheduler;

import dev.slipway.api.apps.App;
import dev.slipway.api.apps.Instance;
import dev.slipway.api.apps.Release;
import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.identity.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The life of a release from deployment to {@code running} or {@code failed}. A release is {@code pending} while its
 * rollout runs: it fails as soon as one of its new instances crash-loops or cannot start, or when one has not
 * turned healthy within the rollout deadline (which also covers an instance that found no worker); it is
 * {@code running} once it has all its instances healthy and no older instance is left. Then every earlier
 * running or unfinished release is {@code superseded}.
 *
 * <p>A failed release rolls the app back by pointing the app's current release at the newest release that is
 * still {@code running}, whose instances were never stopped during the failed rollout. That is no new release
 * number: nothing was deployed by anyone, and the failed release stays in the history with its reason.
 */
@ApplicationScoped
class Rollouts {

    private static final int MAX_REASON = 1000;

    @Inject
    SchedulerConfig config;

    @Inject
    AuditLog audit;

    /** Why the rollout of {@code target} has failed, judged from its new instances, or empty if it has not. */
    Optional<String> failure(Release target, List<Instance> fresh, Map<UUID, String> workerNames,
            OffsetDateTime now) {
        for (Instance i : fresh) {
            if ("crash-loop".equals(i.state)) {
                return Optional.of(describe(i, workerNames) + " crash-loops (exit code " + i.lastExitCode
                        + (i.oomKilled ? ", OOM-killed" : "") + ")" + lastLines(i));
            }
            if ("failed".equals(i.state)) {
                return Optional.of(describe(i, workerNames) + " cannot start: " + i.stateReason);
            }
        }
        OffsetDateTime cutoff = now.minus(config.rolloutDeadline());
        for (Instance i : fresh) {
            if (!i.healthy && i.createdAt.isBefore(cutoff)) {
                return Optional.of(describe(i, workerNames) + " did not become healthy within "
                        + config.rolloutDeadline().toSeconds() + " s (state " + i.state
                        + (i.stateReason == null ? "" : ": " + i.stateReason) + ")" + lastLines(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Marks {@code target} failed and rolls the app back to its newest running release, if any.
     *
     * @return the release the app runs from now on ({@code target} itself when there is nothing to go back to)
     */
    Release fail(App app, Release target, String reason, Touched touched) {
        Release previous = Release.<Release>find("appId = ?1 and status = 'running' and id <> ?2 order by version desc",
                app.id, target.id).firstResult();
        String full = "v" + target.version + " failed: " + reason
                + (previous == null ? "; no earlier release is running to roll back to"
                        : "; rolled back to v" + previous.version);
        target.status = "failed";
        target.statusReason = full.length() > MAX_REASON ? full.substring(0, MAX_REASON) : full;
        supersedeUnfinished(app, target);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("release", "v" + target.version);
        details.put("reason", target.statusReason);
        if (previous != null) {
            app.currentReleaseId = previous.id;
            details.put("rolledBackTo", "v" + previous.version);
        }
        audit.recordAs(null, null, null, tenantName(app), "app.rollout.failed", app.name, details);
        touched.routes(app.id);
        return previous == null ? target : previous;
    }

    /** {@code target} now runs everywhere it should: it is running and everything before it superseded. */
    void complete(App app, Release target, Touched touched) {
        target.status = "running";
        target.statusReason = null;
        for (Release r : Release.<Release>list("appId = ?1 and status = 'running' and id <> ?2", app.id, target.id)) {
            r.status = "superseded";
        }
        supersedeUnfinished(app, target);
        touched.routes(app.id);
    }

    private static void supersedeUnfinished(App app, Release target) {
        for (Release r : Release.<Release>list("appId = ?1 and status = 'pending' and id <> ?2", app.id, target.id)) {
            r.status = "superseded";
            r.statusReason = "replaced by v" + target.version + " before its rollout finished";
        }
    }

    private static String tenantName(App app) {
        Tenant tenant = Tenant.findById(app.tenantId);
        return tenant == null ? null : tenant.name;
    }

    private static String describe(Instance i, Map<UUID, String> workerNames) {
        String where = i.workerId == null ? "" : " on " + workerNames.getOrDefault(i.workerId, i.workerId.toString());
        return "instance " + i.id.toString().substring(0, 8) + where;
    }

    private static String lastLines(Instance i) {
        if (i.lastLog == null || i.lastLog.isEmpty()) {
            return "";
        }
        List<String> tail = i.lastLog.subList(Math.max(0, i.lastLog.size() - 3), i.lastLog.size());
        return "; last log: " + String.join(" | ", tail);
    }
}
