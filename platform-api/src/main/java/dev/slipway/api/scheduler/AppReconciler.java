package dev.slipway.api.scheduler;

import dev.slipway.api.apps.App;
import dev.slipway.api.apps.Instance;
import dev.slipway.api.apps.Release;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Moves one app's instance rows one step towards its desired state: {@code desiredReplicas} healthy instances of
 * its current release, started for its current restart generation, on workers that are not being drained.
 *
 * <p>Rows are classified each time from scratch (nothing is remembered between passes, so an API restart loses
 * nothing): <em>fresh</em> rows are wanted rows of the current release and generation on a ready worker (or not
 * placed yet); every other wanted row is <em>old</em>. Missing fresh rows are inserted unplaced (placement gives
 * them a worker). An old row is kept only while it is healthy and the fresh rows are not yet healthy enough to
 * replace it, so a deployment, a restart or a drain surges new instances next to the old ones and retires one old
 * instance for each fresh one that turns healthy. Rows on lost workers are given up and replaced.
 */
@ApplicationScoped
class AppReconciler {

    private static final Comparator<Instance> OLDEST_FIRST =
            Comparator.comparing((Instance i) -> i.createdAt).thenComparing(i -> i.id);

    @Inject
    Rollouts rollouts;

    void reconcile(App app, Map<UUID, String> workerStates, Map<UUID, String> workerNames, Touched touched,
            OffsetDateTime now) {
        List<Instance> live = new ArrayList<>();
        for (Instance i : Instance.ofApp(app.id)) {
            if (!i.wanted()) {
                continue;
            }
            String workerState = i.workerId == null ? null : workerStates.get(i.workerId);
            if ("lost".equals(i.state) || "lost".equals(workerState) || "removed".equals(workerState)) {
                stop(i, touched);
            } else {
                live.add(i);
            }
        }
        Release target = app.currentReleaseId == null ? null : Release.findById(app.currentReleaseId);
        if (target != null && "pending".equals(target.status)) {
            Optional<String> failure = rollouts.failure(target, fresh(live, app, target, workerStates), workerNames,
                    now);
            if (failure.isPresent()) {
                target = rollouts.fail(app, target, failure.get(), touched);
            }
        }
        int wanted = target == null || "failed".equals(target.status) ? 0 : app.desiredReplicas;
        List<Instance> fresh = fresh(live, app, target, workerStates);
        List<Instance> old = new ArrayList<>(live);
        old.removeAll(fresh);

        if (fresh.size() > wanted) {
            // scale down: give up those that serve nothing first, then the newest
            fresh.sort(Comparator.comparing((Instance i) -> i.healthy).thenComparing(OLDEST_FIRST.reversed()));
            while (fresh.size() > wanted) {
                stop(fresh.removeFirst(), touched);
            }
        }
        while (fresh.size() < wanted) {
            fresh.add(create(app, target, now));
            touched.routes(app.id);
        }
        long healthyFresh = fresh.stream().filter(i -> i.healthy).count();
        long keepOld = Math.max(0, wanted - healthyFresh);
        old.sort(Comparator.comparing((Instance i) -> !i.healthy).thenComparing(OLDEST_FIRST));
        for (int n = 0; n < old.size(); n++) {
            Instance i = old.get(n);
            if (n >= keepOld || !i.healthy) {
                stop(i, touched);
            }
        }
        if (target != null && "pending".equals(target.status) && old.isEmpty() && healthyFresh >= wanted) {
            rollouts.complete(app, target, touched);
        }
    }

    private static List<Instance> fresh(List<Instance> live, App app, Release target, Map<UUID, String> workerStates) {
        List<Instance> fresh = new ArrayList<>();
        if (target == null) {
            return fresh;
        }
        for (Instance i : live) {
            boolean draining = i.workerId != null && !"ready".equals(workerStates.get(i.workerId));
            if (i.releaseId.equals(target.id) && i.restartGeneration == app.restartGeneration && !draining) {
                fresh.add(i);
            }
        }
        return fresh;
    }

    private static Instance create(App app, Release target, OffsetDateTime now) {
        Instance i = new Instance();
        i.id = UUID.randomUUID();
        i.appId = app.id;
        i.releaseId = target.id;
        i.desiredState = "running";
        i.state = "pending";
        i.stateReason = "waiting for a worker";
        i.restartGeneration = app.restartGeneration;
        i.createdAt = now;
        i.updatedAt = now;
        i.persist();
        return i;
    }

    /** A placed row is handed back to its worker to stop (the worker deletes it then); an unplaced one just goes. */
    private static void stop(Instance i, Touched touched) {
        if (i.workerId == null) {
            i.delete();
        } else {
            i.desiredState = "stopped";
            touched.worker(i.workerId);
        }
        touched.routes(i.appId);
    }
}
