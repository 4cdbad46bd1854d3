package dev.slipway.api.workers;

import dev.slipway.api.events.PlatformEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/**
 * Whether workers are there: their {@code workers} row (state, capacity, {@code connected_to},
 * {@code last_seen_at}) and, when one goes away for good or for too long, its instances. Every change is one
 * conditional UPDATE, so several API replicas may run all of this at once.
 */
@ApplicationScoped
public class WorkerPresence {

    /**
     * The tail of a statement whose first CTE, {@code out_of_service}, returns the ids of workers just taken out of
     * service: their instances become lost and unhealthy; rows come back as ('worker', id) and ('app', id).
     */
    private static final String THEIR_INSTANCES_LOST = """
            gone AS (
                UPDATE instances SET state = 'lost', healthy = false, updated_at = now()
                WHERE worker_id IN (SELECT id FROM out_of_service) AND state <> 'lost'
                RETURNING app_id)
            SELECT 'worker', id FROM out_of_service UNION ALL SELECT DISTINCT 'app', app_id FROM gone""";

    @Inject
    EntityManager em;

    @Inject
    PlatformEvents events;

    @Inject
    InstanceReports reports;

    /** What a lost or removed worker's instances became: the workers and the apps they belonged to. */
    public record Loss(List<UUID> workers, Set<UUID> apps) {
    }

    /**
     * Stores a {@code hello}: capacity, engine version, {@code ready} (a draining worker stays draining), held by
     * this replica; then adopts and forgets instances as reported. False if the worker was removed meanwhile.
     */
    @Transactional
    public boolean hello(UUID workerId, String replicaId, WorkerMessages.Hello hello) {
        int updated = ((NativeQuery<?>) em.createNativeQuery("""
                UPDATE workers SET cpu = COALESCE(?2, cpu), memory_mb = COALESCE(?3, memory_mb),
                    engine_version = COALESCE(?4, engine_version),
                    state = CASE WHEN state = 'draining' THEN 'draining' ELSE 'ready' END,
                    connected_to = ?5, last_seen_at = now()
                WHERE id = ?1 AND state <> 'removed'"""))
                .setParameter(1, workerId, UUID.class).setParameter(2, capacity(hello.cpu()), BigDecimal.class)
                .setParameter(3, hello.memoryMb() == null || hello.memoryMb() < 0 ? null : hello.memoryMb(),
                        Integer.class)
                .setParameter(4, hello.engineVersion(), String.class).setParameter(5, replicaId, String.class)
                .executeUpdate();
        if (updated == 0) {
            return false;
        }
        reports.reconcile(workerId, hello.instances() == null ? List.of() : hello.instances());
        // A worker (back) in service may make room for pending instances.
        events.publish(PlatformEvents.RECONCILE, "");
        return true;
    }

    /** Records that the worker was heard from; false if it is no longer in service here (lost or removed). */
    @Transactional
    public boolean seen(UUID workerId, String replicaId) {
        return em.createNativeQuery("""
                UPDATE workers SET last_seen_at = now()
                WHERE id = ?1 AND state IN ('ready', 'draining') AND connected_to = ?2""")
                .setParameter(1, workerId).setParameter(2, replicaId).executeUpdate() == 1;
    }

    /** The stream closed: nobody holds it now. Its state stays until it is heard from again or found lost. */
    @Transactional
    public void disconnected(UUID workerId, String replicaId) {
        em.createNativeQuery("UPDATE workers SET connected_to = NULL WHERE id = ?1 AND connected_to = ?2")
                .setParameter(1, workerId).setParameter(2, replicaId).executeUpdate();
    }

    @Transactional
    public void disconnectedAll(String replicaId) {
        em.createNativeQuery("UPDATE workers SET connected_to = NULL WHERE connected_to = ?1")
                .setParameter(1, replicaId).executeUpdate();
    }

    /** The worker's state and the replica holding its stream, or null if there is no such worker. */
    @Transactional
    public Object[] stateOf(UUID workerId) {
        List<?> rows = em.createNativeQuery("SELECT state, connected_to FROM workers WHERE id = ?1")
                .setParameter(1, workerId).getResultList();
        return rows.isEmpty() ? null : (Object[]) rows.get(0);
    }

    /**
     * Marks every worker silent for longer than {@code lostAfterMillis} lost and its instances lost and unhealthy,
     * then tells the scheduler (RECONCILE) and the router (ROUTES_CHANGED). Each worker is marked by exactly one
     * replica: the conditional UPDATE lets only one see it still ready.
     */
    @Transactional
    public Loss markSilentWorkersLost(long lostAfterMillis) {
        return loss(em.createNativeQuery("""
                WITH out_of_service AS (
                    UPDATE workers SET state = 'lost', connected_to = NULL
                    WHERE state IN ('ready', 'draining')
                      AND (last_seen_at IS NULL OR last_seen_at < now() - ?1 * interval '1 millisecond')
                    RETURNING id),
                """ + THEIR_INSTANCES_LOST)
                .setParameter(1, lostAfterMillis).getResultList());
    }

    /** Deregisters a worker: state removed (its credential is refused), its instances lost. Null if unknown. */
    @Transactional
    public Loss remove(UUID workerId) {
        Loss loss = loss(em.createNativeQuery("""
                WITH out_of_service AS (
                    UPDATE workers SET state = 'removed', connected_to = NULL
                    WHERE id = ?1 AND state <> 'removed'
                    RETURNING id),
                """ + THEIR_INSTANCES_LOST)
                .setParameter(1, workerId).getResultList());
        if (loss.workers().isEmpty()) {
            return null;
        }
        // The replica holding its stream (if any) hears this and closes it.
        events.publish(PlatformEvents.WORKER_CHANGED, workerId.toString());
        return loss;
    }

    /**
     * Deletes the rows of instances the scheduler gave up (desired {@code stopped}: their replacements exist) on
     * workers that will never stop them: on a removed worker once every wanted instance of the app runs (the old
     * rows explain a shortfall until then), and on a worker lost or removed for longer than
     * {@code forgetAfterMillis} in any case. If a lost worker comes back after that, its hello names containers the
     * API no longer knows and its next assign leaves them out, so it stops them itself. Logs and samples are keyed
     * by instance id without a foreign key, so they stay. Returns the apps whose rows went.
     */
    @Transactional
    public Set<UUID> forgetInstancesOfGoneWorkers(long forgetAfterMillis) {
        List<?> apps = em.createNativeQuery("""
                WITH forgotten AS (
                    DELETE FROM instances i USING workers w
                    WHERE w.id = i.worker_id AND i.desired_state = 'stopped'
                      AND (w.state = 'lost'
                           -- a worker that never connected counts from its join, not as gone since forever
                           AND COALESCE(w.last_seen_at, w.joined_at) < now() - ?1 * interval '1 millisecond'
                        -- a removed worker's rows were marked lost (updated_at) when it was removed
                        OR w.state = 'removed' AND (i.updated_at < now() - ?1 * interval '1 millisecond'
                           OR NOT EXISTS (SELECT 1 FROM instances r WHERE r.app_id = i.app_id
                                          AND r.desired_state = 'running' AND r.state <> 'running')))
                    RETURNING i.app_id)
                SELECT DISTINCT app_id FROM forgotten""")
                .setParameter(1, forgetAfterMillis).getResultList();
        Set<UUID> changed = new LinkedHashSet<>();
        for (Object app : apps) {
            changed.add((UUID) app);
            events.publish(PlatformEvents.ROUTES_CHANGED, app.toString());
        }
        return changed;
    }

    /** A reported CPU count the column can hold (numeric(8,3)), or null to keep the stored one. */
    private static BigDecimal capacity(BigDecimal cpu) {
        if (cpu == null || cpu.signum() < 0 || cpu.compareTo(JoinResource.MAX_CPU) > 0) {
            return null;
        }
        return cpu.setScale(3, RoundingMode.DOWN);
    }

    private Loss loss(List<?> rows) {
        List<UUID> workers = new ArrayList<>();
        Set<UUID> apps = new LinkedHashSet<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            if ("worker".equals(r[0])) {
                workers.add((UUID) r[1]);
            } else {
                apps.add((UUID) r[1]);
            }
        }
        if (!workers.isEmpty()) {
            events.publish(PlatformEvents.RECONCILE, "");
        }
        for (UUID app : apps) {
            events.publish(PlatformEvents.RECONCILE, app.toString());
            events.publish(PlatformEvents.ROUTES_CHANGED, app.toString());
        }
        return new Loss(workers, apps);
    }
}
