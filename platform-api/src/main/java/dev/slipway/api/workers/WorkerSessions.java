package dev.slipway.api.workers;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The worker streams this replica holds: at most one per worker. A second connection of the same worker replaces
 * the first (the old one is closed with {@link #REPLACED}), because the worker only ever opens a new one when it
 * believes the old one is dead.
 */
@ApplicationScoped
public class WorkerSessions {

    /** Close codes (4000-4999 are for applications); the agent reconnects after any of them except REMOVED. */
    static final int REPLACED = 4001;
    static final int REMOVED = 4003;
    static final int LOST = 4004;
    static final int ELSEWHERE = 4005;
    static final int PROTOCOL = 1008;

    private static final Logger LOG = Logger.getLogger(WorkerSessions.class);

    private final Map<UUID, WorkerSession> sessions = new ConcurrentHashMap<>();
    private final String replicaId;

    @Inject
    WorkerPresence presence;

    WorkerSessions(WorkersConfig config) {
        this.replicaId = config.replicaId().orElseGet(WorkerSessions::defaultReplicaId);
    }

    /** This replica's name in {@code workers.connected_to}. */
    public String replicaId() {
        return replicaId;
    }

    /** Makes {@code session} its worker's live stream here, closing the one it replaces. */
    void open(WorkerSession session) {
        WorkerSession previous = sessions.put(session.workerId, session);
        if (previous != null && previous != session) {
            LOG.infof("worker %s reconnected; closing its previous stream", session.workerId);
            previous.close(REPLACED, "replaced by a newer connection of this worker");
        }
    }

    /** Forgets {@code session}; true if it was its worker's live stream (not one already replaced). */
    boolean closed(WorkerSession session) {
        return sessions.remove(session.workerId, session);
    }

    Optional<WorkerSession> of(UUID workerId) {
        return Optional.ofNullable(sessions.get(workerId));
    }

    Collection<WorkerSession> all() {
        return List.copyOf(sessions.values());
    }

    /** Which workers have a live stream on this replica (for tests and diagnostics). */
    public boolean isConnectedHere(UUID workerId) {
        return sessions.containsKey(workerId);
    }

    /**
     * At shutdown the streams end with the process: the workers are marked disconnected, not lost, so a quick
     * restart (or another replica) takes them over without their instances being moved.
     */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        try {
            presence.disconnectedAll(replicaId);
        } catch (RuntimeException e) {
            LOG.warnf("could not mark this replica's workers disconnected at shutdown: %s", e.getMessage());
        }
    }

    private static String defaultReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "api";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
