package dev.slipway.api.workers;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What platform admins see of and do to workers: the fleet with capacity and allocation, and deregistration. */
@ApplicationScoped
public class WorkerAdministration {

    @Inject
    EntityManager em;

    @Inject
    WorkerPresence presence;

    @Inject
    AuditLog audit;

    /** One worker as {@code GET /api/v1/admin/workers} shows it (CONTRACTS-DEPLOY.md). */
    public record WorkerView(UUID id, String name, String state, BigDecimal cpu, int memoryMb,
            BigDecimal cpuAllocated, long memoryMbAllocated, long instances, OffsetDateTime lastSeenAt,
            String engineVersion) {
    }

    /** Every worker that was not removed; allocation counts the limits of instances meant to run there. */
    @Transactional
    public List<WorkerView> list() {
        List<?> rows = em.createNativeQuery("""
                SELECT w.id, w.name, w.state, w.cpu, w.memory_mb, COALESCE(sum(r.cpu), 0),
                       COALESCE(sum(r.memory_mb), 0), count(i.id), w.last_seen_at, w.engine_version
                FROM workers w
                LEFT JOIN instances i ON i.worker_id = w.id AND i.desired_state = 'running'
                LEFT JOIN releases r ON r.id = i.release_id
                WHERE w.state <> 'removed'
                GROUP BY w.id
                ORDER BY w.name, w.id""").getResultList();
        return rows.stream().map(o -> {
            Object[] r = (Object[]) o;
            return new WorkerView((UUID) r[0], (String) r[1], (String) r[2], (BigDecimal) r[3],
                    ((Number) r[4]).intValue(), (BigDecimal) r[5], ((Number) r[6]).longValue(),
                    ((Number) r[7]).longValue(), utc(r[8]), (String) r[9]);
        }).toList();
    }

    /**
     * Deregisters a worker: from now on its credential is refused, its open stream is closed and its instances are
     * lost, so the scheduler places them elsewhere (as for a lost worker).
     */
    @Transactional
    public void remove(UUID workerId) {
        WorkerPresence.Loss loss = presence.remove(workerId);
        if (loss == null) {
            throw ApiException.notFound("WORKER_NOT_FOUND", "no worker " + workerId);
        }
        audit.record(null, "worker.remove", workerId.toString(), Map.of("lostInstancesOfApps", loss.apps().size()));
    }

    private static OffsetDateTime utc(Object timestamp) {
        if (timestamp == null) {
            return null;
        }
        if (timestamp instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (timestamp instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) timestamp).toInstant().atOffset(ZoneOffset.UTC);
    }
}
