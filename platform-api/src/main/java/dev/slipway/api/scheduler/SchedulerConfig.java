package dev.slipway.api.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** {@code slipway.scheduler.*}: how often the scheduler looks at everything, and how long a rollout may take. */
@ConfigMapping(prefix = "slipway.scheduler")
public interface SchedulerConfig {

    /** Off only for tests that drive instance rows themselves; then nothing is ever placed. */
    @WithDefault("true")
    boolean enabled();

    /** The safety-net period; events (RECONCILE) wake the scheduler sooner. */
    @WithDefault("PT2S")
    Duration interval();

    /**
     * How long a new instance of a rollout may take to become healthy (pull, start, pass its health check) before
     * the release is marked failed and the app rolled back.
     */
    @WithName("rollout-deadline")
    @WithDefault("PT60S")
    Duration rolloutDeadline();
}
