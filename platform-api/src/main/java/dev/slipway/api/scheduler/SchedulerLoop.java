package dev.slipway.api.scheduler;

import dev.slipway.api.events.PlatformEvents;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link SchedulerPass} on one thread of this replica: every {@code slipway.scheduler.interval} and soon after
 * each {@code RECONCILE} event (from any replica: a deployment, a scale, a worker's report). Wake-ups that arrive
 * while a pass is queued fold into it. Lifecycle: starts with the application (unless disabled), stops at shutdown.
 */
@ApplicationScoped
public class SchedulerLoop {

    private static final Logger LOG = Logger.getLogger(SchedulerLoop.class.getName());

    @Inject
    SchedulerConfig config;

    @Inject
    SchedulerPass pass;

    @Inject
    PlatformEvents events;

    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile long wokenAt;
    private ScheduledExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("scheduler disabled (slipway.scheduler.enabled=false): no instance will be placed");
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("scheduler")
                .factory());
        long millis = config.interval().toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
        events.subscribe(PlatformEvents.RECONCILE, payload -> wake());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Asks for a pass soon; cheap and safe to call from any thread. */
    public void wake() {
        if (executor != null && queued.compareAndSet(false, true)) {
            wokenAt = System.nanoTime();
            try {
                executor.execute(() -> {
                    queued.set(false);
                    long waited = System.nanoTime() - wokenAt;
                    long took = runOnce();
                    if (LOG.isLoggable(Level.FINE)) {
                        // deploy latency: how long a woken pass waited for the thread, and how long it ran
                        LOG.fine(String.format("woken pass started after %.1f ms, ran %.1f ms", waited / 1e6,
                                took / 1e6));
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                queued.set(false);
            }
        }
    }

    /** Runs a pass; returns its duration in nanoseconds. */
    private long runOnce() {
        long start = System.nanoTime();
        try {
            pass.run();
        } catch (RuntimeException e) {
            // the next pass starts from the database again; nothing is lost by skipping this one
            LOG.log(Level.WARNING, "scheduler pass failed: " + e.getMessage(), e);
        }
        return System.nanoTime() - start;
    }
}
