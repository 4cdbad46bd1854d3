package dev.slipway.api.scheduler;

import dev.slipway.api.apps.App;
import dev.slipway.api.apps.Instance;
import dev.slipway.api.apps.Release;
import dev.slipway.api.events.PlatformEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One look at everything, in one transaction: reconcile every app (under its row lock), then place every unplaced
 * instance, then tell the workers' sessions and the router what changed (at commit). Exactly one pass runs at a
 * time across all API replicas: a transaction-scoped advisory lock, so a replica that dies mid-pass releases it
 * with its connection. Apps that a user is changing right now are skipped ({@code SKIP LOCKED}); the change
 * itself asks for another pass.
 */
@ApplicationScoped
public class SchedulerPass {

    private static final Logger LOG = Logger.getLogger(SchedulerPass.class);

    /** Advisory lock key of the scheduler ("slipsche" in ASCII). */
    static final long LOCK_KEY = 0x736c69707363686cL;

    @Inject
    EntityManager em;

    @Inject
    WorkerLoads workers;

    @Inject
    AppReconciler reconciler;

    @Inject
    PlatformEvents events;

    /** Runs a pass unless another replica is running one; returns whether this one ran. */
    @Transactional
    public boolean run() {
        if (!(Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)").setParameter(1, LOCK_KEY)
                .getSingleResult()) {
            return false;
        }
        OffsetDateTime now = OffsetDateTime.now();
        Touched touched = new Touched();
        Map<UUID, String> states = workers.states();
        Map<UUID, String> names = workers.names();
        @SuppressWarnings("unchecked")
        List<UUID> apps = em.createNativeQuery("SELECT a.id FROM apps a WHERE a.current_release_id IS NOT NULL"
                + " OR EXISTS (SELECT 1 FROM instances i WHERE i.app_id = a.id) ORDER BY a.id FOR UPDATE OF a SKIP LOCKED",
                UUID.class).getResultList();
        for (UUID id : apps) {
            App app = App.findById(id);
            if (app != null) {
                reconciler.reconcile(app, states, names, touched, now);
            }
        }
        em.flush();
        placePending(touched, now);
        touched.publish(events);
        return true;
    }

    private void placePending(Touched touched, OffsetDateTime now) {
        List<Instance> pending = Instance.list("desiredState = 'running' and workerId is null order by createdAt, id");
        if (pending.isEmpty()) {
            return;
        }
        Placement placement = new Placement(workers.ready());
        Map<UUID, Release> releases = new HashMap<>();
        for (Instance i : pending) {
            Release r = releases.computeIfAbsent(i.releaseId, id -> Release.<Release>findById(id));
            Placement.Decision decision = placement.place(Placement.group(i.releaseId, i.restartGeneration), r.cpu,
                    r.memoryMb);
            if (decision.worker().isPresent()) {
                i.workerId = decision.worker().get().id();
                i.state = "assigned";
                i.stateReason = null;
                i.updatedAt = now;
                touched.worker(i.workerId);
                LOG.debugf("placed instance %s of app %s on worker %s", i.id, i.appId, i.workerId);
            } else if (!decision.pendingReason().equals(i.stateReason)) {
                i.stateReason = decision.pendingReason();
                i.updatedAt = now;
            }
        }
    }
}
