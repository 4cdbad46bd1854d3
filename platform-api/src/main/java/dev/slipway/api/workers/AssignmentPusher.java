package dev.slipway.api.workers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.events.PlatformEvents;
import dev.slipway.api.registry.RegistryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Keeps every worker whose stream this replica holds supplied with its current {@code assign}. Rebuilt from
 * PostgreSQL on {@code WORKER_CHANGED} for that worker, on {@code RESYNC}, after each {@code hello}, and on a timer
 * (events are only hints). A rebuilt assign is sent when it differs from the last one sent on this stream, and in
 * any case once half the pull-token lifetime has passed, so the worker always holds a usable pull token.
 *
 * <p>The same pass enforces where a stream may live: one whose worker was removed or lost, or that another
 * replica holds now, is closed.
 */
@ApplicationScoped
public class AssignmentPusher {

    private static final Logger LOG = Logger.getLogger(AssignmentPusher.class);

    @Inject
    WorkerSessions sessions;

    @Inject
    Assignments assignments;

    @Inject
    WorkerPresence presence;

    @Inject
    PlatformEvents events;

    @Inject
    ObjectMapper json;

    @Inject
    RegistryConfig registryConfig;

    private ExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        events.subscribe(PlatformEvents.WORKER_CHANGED, this::onWorkerChanged);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Runs on the events thread: only hands work off. */
    private void onWorkerChanged(String payload) {
        if (PlatformEvents.RESYNC.equals(payload)) {
            sessions.all().forEach(s -> submit(s, false));
            return;
        }
        UUID workerId;
        try {
            workerId = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring %s event with payload '%s' (not a worker id)", PlatformEvents.WORKER_CHANGED, payload);
            return;
        }
        sessions.of(workerId).ifPresent(s -> submit(s, false));
    }

    @Scheduled(every = "${slipway.workers.assign-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void safetyNet() {
        sessions.all().forEach(s -> push(s, false));
    }

    private void submit(WorkerSession session, boolean force) {
        ExecutorService e = executor;
        if (e != null && !e.isShutdown()) {
            e.execute(() -> push(session, force));
        }
    }

    /**
     * Sends the worker its assignments if they changed since the last send on this stream ({@code force}: always).
     * Does nothing before the {@code welcome}; closes the stream if the worker may no longer hold it here.
     */
    void push(WorkerSession session, boolean force) {
        try {
            synchronized (session.lock) {
                if (!session.welcomed || !session.connection.isOpen()) {
                    return;
                }
                if (!mayStay(session)) {
                    return;
                }
                Assignments.Plan plan = assignments.plan(session.workerId, session.registryHost());
                String hash = Secrets.sha256(json.writeValueAsString(plan.instances()));
                Instant now = Instant.now();
                Duration refresh = registryConfig.tokenLifetime().dividedBy(2);
                boolean tokensStale = !plan.privateRepositories().isEmpty()
                        && session.lastAssignSentAt.plus(refresh).isBefore(now);
                if (!force && hash.equals(session.lastAssignHash) && !tokensStale) {
                    return;
                }
                session.send(json.writeValueAsString(
                        new WorkerMessages.Assign(assignments.withPullTokens(plan, now))));
                session.lastAssignHash = hash;
                session.lastAssignSentAt = now;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not send assignments to worker %s", session.workerId);
        }
    }

    private boolean mayStay(WorkerSession session) {
        Object[] row = presence.stateOf(session.workerId);
        if (row == null || Worker.REMOVED.equals(row[0])) {
            session.close(WorkerSessions.REMOVED, "this worker was removed from the platform");
            return false;
        }
        if (Worker.LOST.equals(row[0])) {
            session.close(WorkerSessions.LOST, "this worker was marked lost; reconnect and say hello again");
            return false;
        }
        if (!sessions.replicaId().equals(row[1])) {
            session.close(WorkerSessions.ELSEWHERE, "this worker is connected to another API replica");
            return false;
        }
        return true;
    }
}
