package dev.slipway.engine.agent;

import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.runtime.ContainerLog;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every {@link InstanceSupervisor} of one worker shares: the engine's containers and images, where instance
 * specs are kept, where reports go, how endpoints and health are found, the timer, log shipping, and the restart
 * back-off's reset threshold (a run this long counts as healthy again).
 */
record Supervision(ContainerService containers, ImageFetcher images, SpecStore specs, Outbox outbox,
                   EndpointResolver endpoints, HealthProbe health, ScheduledExecutorService timer,
                   LogShipping logs, ContainerLog log, Duration backoffResetAfter) {

    static final Duration DEFAULT_BACKOFF_RESET = Duration.ofMinutes(10);
    static final int LAST_LOG_LINES = 20;
}
