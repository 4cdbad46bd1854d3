package dev.slipway.api.workers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.events.PlatformEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.hibernate.query.NativeQuery;
import org.jboss.logging.Logger;

/**
 * Writes what a worker reports about its instances into their rows (CONTRACTS-DEPLOY.md, "Instance rows"): only
 * the reported columns, only rows placed on that worker, so a worker can never touch another's instances. Tells
 * the reconciler when state or health changed and the router when health or endpoint changed; deletes a row
 * once the worker reports it stopped and nobody wants it running any more.
 */
@ApplicationScoped
public class InstanceReports {

    static final Set<String> REPORTED_STATES =
            Set.of("pulling", "starting", "running", "crash-loop", "stopping", "stopped", "failed");
    static final int MAX_LAST_LOG_LINES = 20;
    static final int MAX_TEXT = 4096;

    private static final Logger LOG = Logger.getLogger(InstanceReports.class);

    @Inject
    EntityManager em;

    @Inject
    PlatformEvents events;

    @Inject
    ObjectMapper json;

    /** Outcome of one report, for callers and tests. */
    public enum Outcome { UPDATED, DELETED, UNCHANGED, REFUSED }

    /** Applies one {@code instance} frame. */
    @Transactional
    public Outcome apply(UUID workerId, WorkerMessages.InstanceStatus status) {
        if (status.instanceId() == null || status.state() == null || !REPORTED_STATES.contains(status.state())) {
            LOG.warnf("worker %s sent an instance report without a valid instanceId/state (%s); ignored", workerId,
                    status.state());
            return Outcome.REFUSED;
        }
        List<?> rows = em.createNativeQuery("""
                SELECT app_id, state, healthy, endpoint, desired_state FROM instances
                WHERE id = ?1 AND worker_id = ?2 FOR UPDATE""")
                .setParameter(1, status.instanceId()).setParameter(2, workerId).getResultList();
        if (rows.isEmpty()) {
            LOG.warnf("worker %s reported instance %s, which is not placed on it; ignored", workerId,
                    status.instanceId());
            return Outcome.REFUSED;
        }
        Object[] row = (Object[]) rows.get(0);
        String app = row[0].toString();
        String oldState = (String) row[1];
        boolean oldHealthy = (Boolean) row[2];
        String oldEndpoint = (String) row[3];
        if ("stopped".equals(status.state()) && "stopped".equals(row[4])) {
            em.createNativeQuery("DELETE FROM instances WHERE id = ?1 AND worker_id = ?2")
                    .setParameter(1, status.instanceId()).setParameter(2, workerId).executeUpdate();
            events.publish(PlatformEvents.RECONCILE, app);
            events.publish(PlatformEvents.ROUTES_CHANGED, app);
            return Outcome.DELETED;
        }
        boolean healthy = Boolean.TRUE.equals(status.healthy()) && "running".equals(status.state());
        String endpoint = "running".equals(status.state()) ? clip(status.endpoint()) : null;
        ((NativeQuery<?>) em.createNativeQuery("""
                UPDATE instances SET state = ?3, state_reason = ?4, container_id = COALESCE(?5, container_id),
                    endpoint = ?6, healthy = ?7, restarts = COALESCE(?8, restarts), last_exit_code = ?9,
                    oom_killed = ?10, started_at = ?11, finished_at = ?12,
                    last_log = COALESCE(CAST(?13 AS jsonb), last_log), updated_at = now()
                WHERE id = ?1 AND worker_id = ?2"""))
                .setParameter(1, status.instanceId(), UUID.class).setParameter(2, workerId, UUID.class)
                .setParameter(3, status.state(), String.class).setParameter(4, clip(status.reason()), String.class)
                .setParameter(5, clip(status.containerId()), String.class).setParameter(6, endpoint, String.class)
                .setParameter(7, healthy, Boolean.class)
                .setParameter(8, status.restarts(), Integer.class).setParameter(9, status.exitCode(), Integer.class)
                .setParameter(10, Boolean.TRUE.equals(status.oomKilled()), Boolean.class)
                .setParameter(11, utc(status.startedAt()), OffsetDateTime.class)
                .setParameter(12, utc(status.finishedAt()), OffsetDateTime.class)
                .setParameter(13, lastLog(status.lastLog()), String.class)
                .executeUpdate();
        boolean stateChanged = !status.state().equals(oldState) || healthy != oldHealthy;
        boolean routesChanged = healthy != oldHealthy || !Objects.equals(endpoint, oldEndpoint);
        if (stateChanged) {
            events.publish(PlatformEvents.RECONCILE, app);
        }
        if (routesChanged) {
            events.publish(PlatformEvents.ROUTES_CHANGED, app);
        }
        return stateChanged || routesChanged ? Outcome.UPDATED : Outcome.UNCHANGED;
    }

    /**
     * Applies the full list a worker sends in {@code hello}: reported instances are adopted (their rows updated);
     * rows meant to stop that the worker no longer runs are deleted; rows meant to run that it does not have are
     * reset to {@code assigned} (not routable) until it starts them from the next {@code assign}. Instances it
     * reports that are not its rows are left alone: the assign leaves them out, so the worker stops them.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reconcile(UUID workerId, List<WorkerMessages.InstanceStatus> reported) {
        Set<UUID> present = new HashSet<>();
        for (WorkerMessages.InstanceStatus status : reported) {
            if (apply(workerId, status) != Outcome.REFUSED) {
                present.add(status.instanceId());
            }
        }
        List<?> rows = em.createNativeQuery("""
                SELECT id, app_id, desired_state, state FROM instances WHERE worker_id = ?1 FOR UPDATE""")
                .setParameter(1, workerId).getResultList();
        for (Object o : rows) {
            Object[] row = (Object[]) o;
            UUID id = (UUID) row[0];
            if (present.contains(id)) {
                continue;
            }
            String app = row[1].toString();
            if ("stopped".equals(row[2])) {
                em.createNativeQuery("DELETE FROM instances WHERE id = ?1").setParameter(1, id).executeUpdate();
            } else if (!"assigned".equals(row[3]) && !"pending".equals(row[3])) {
                em.createNativeQuery("""
                        UPDATE instances SET state = 'assigned', healthy = false, endpoint = NULL,
                            state_reason = 'not running on its worker after the worker reconnected', updated_at = now()
                        WHERE id = ?1""").setParameter(1, id).executeUpdate();
            } else {
                continue;
            }
            events.publish(PlatformEvents.RECONCILE, app);
            events.publish(PlatformEvents.ROUTES_CHANGED, app);
        }
    }

    private String lastLog(List<String> lines) {
        if (lines == null) {
            return null;
        }
        List<String> tail = lines.subList(Math.max(0, lines.size() - MAX_LAST_LOG_LINES), lines.size()).stream()
                .map(InstanceReports::clip).toList();
        try {
            return json.writeValueAsString(tail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private static OffsetDateTime utc(java.time.Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
