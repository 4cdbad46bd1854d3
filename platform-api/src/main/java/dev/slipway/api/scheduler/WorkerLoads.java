package dev.slipway.api.scheduler;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads the schedulable workers and what is promised on them, for one pass (inside its transaction). */
@ApplicationScoped
class WorkerLoads {

    @Inject
    EntityManager em;

    /** Workers in state {@code ready}, each loaded with the limits of its instances that should run. */
    List<WorkerLoad> ready() {
        Map<UUID, WorkerLoad> byId = new HashMap<>();
        List<WorkerLoad> workers = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT id, name, cpu, memory_mb FROM workers WHERE state = 'ready'"
                + " ORDER BY name, id").getResultList()) {
            Object[] row = (Object[]) o;
            WorkerLoad w = new WorkerLoad((UUID) row[0], (String) row[1], new BigDecimal(row[2].toString()),
                    ((Number) row[3]).longValue());
            byId.put(w.id(), w);
            workers.add(w);
        }
        for (Object o : em.createNativeQuery("SELECT i.worker_id, i.release_id, i.restart_generation, r.cpu, r.memory_mb"
                + " FROM instances i"
                + " JOIN releases r ON r.id = i.release_id"
                + " WHERE i.worker_id IS NOT NULL AND i.desired_state = 'running'").getResultList()) {
            Object[] row = (Object[]) o;
            WorkerLoad w = byId.get((UUID) row[0]);
            if (w != null) {
                w.add(Placement.group((UUID) row[1], ((Number) row[2]).intValue()), new BigDecimal(row[3].toString()),
                        ((Number) row[4]).longValue());
            }
        }
        return workers;
    }

    /** State of every worker that has instances ({@code ready}, {@code lost}, {@code draining}, {@code removed}). */
    Map<UUID, String> states() {
        Map<UUID, String> states = new HashMap<>();
        for (Object o : em.createNativeQuery("SELECT id, state FROM workers").getResultList()) {
            Object[] row = (Object[]) o;
            states.put((UUID) row[0], (String) row[1]);
        }
        return states;
    }

    /** Worker names by id, for views and messages. */
    Map<UUID, String> names() {
        Map<UUID, String> names = new HashMap<>();
        for (Object o : em.createNativeQuery("SELECT id, name FROM workers").getResultList()) {
            Object[] row = (Object[]) o;
            names.put((UUID) row[0], (String) row[1]);
        }
        return names;
    }
}
