package dev.slipway.api.workers;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Every few seconds, marks workers silent past {@code slipway.workers.lost-after} lost (see
 * {@link WorkerPresence#markSilentWorkersLost}); safe on every replica at once. A lost worker's stream, if this
 * replica still holds it, is closed: the worker reconnects and its hello brings it back into service. Then
 * forgets replaced instances of workers that are gone for good (see
 * {@link WorkerPresence#forgetInstancesOfGoneWorkers}).
 */
@ApplicationScoped
public class LostWorkerSweep {

    private static final Logger LOG = Logger.getLogger(LostWorkerSweep.class);

    @Inject
    WorkerPresence presence;

    @Inject
    WorkerSessions sessions;

    @Inject
    WorkersConfig config;

    /**
     * Workers are judged silent only after this replica has run for {@code lost-after}: when the whole API was down
     * (an upgrade, {@code ./slipway down --keep-workloads}), every worker looks silent at start, yet each reconnects
     * within seconds and keeps its instances instead of having them all replaced.
     */
    private final long startedAt = System.nanoTime();

    @Scheduled(every = "${slipway.workers.lost-check-every}", delayed = "${slipway.workers.lost-check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (System.nanoTime() - startedAt > config.lostAfter().toNanos()) {
            markSilentWorkersLost();
        }
        for (UUID app : presence.forgetInstancesOfGoneWorkers(config.forgetAfter().toMillis())) {
            LOG.infof("app %s: forgot the rows of replaced instances on removed workers or workers lost for more"
                    + " than %s", app, config.forgetAfter());
        }
    }

    private void markSilentWorkersLost() {
        WorkerPresence.Loss loss = presence.markSilentWorkersLost(config.lostAfter().toMillis());
        for (UUID worker : loss.workers()) {
            LOG.warnf("worker %s silent for more than %s: marked lost, its instances are lost", worker,
                    config.lostAfter());
            sessions.of(worker).ifPresent(s -> s.close(WorkerSessions.LOST,
                    "no heartbeat for " + config.lostAfter().toSeconds() + " s; reconnect and say hello"));
        }
    }
}
