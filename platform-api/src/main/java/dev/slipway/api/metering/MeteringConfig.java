package dev.slipway.api.metering;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** {@code slipway.metering.*}: how worker stats become usage and metrics, and how long samples are kept. */
@ConfigMapping(prefix = "slipway.metering")
public interface MeteringConfig {

    /**
     * Two samples further apart than this (and than two {@code slipway.workers.stats-interval}s) are not one stretch
     * of running: the worker (or its stream) was gone, and the platform had declared it lost. Usage ends at the last
     * sample before such a gap and resumes with the first one after it. Keep it equal to
     * {@code slipway.workers.lost-after}.
     */
    @WithName("max-gap")
    @WithDefault("PT30S")
    Duration maxGap();

    /** Samples older than this are deleted; the metrics API serves at most this far back (at least one hour). */
    @WithDefault("PT2H")
    Duration retention();

    /** How often old samples are pruned and the last complete hour of registry storage is metered. */
    @WithDefault("10m")
    String every();
}
