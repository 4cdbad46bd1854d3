package dev.slipway.api.logs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How long and how much log text is kept per app (docs/logs.md, "Retention"); plans may override both. */
@ConfigMapping(prefix = "slipway.logs.retention")
public interface LogRetentionConfig {

    @WithDefault("7d")
    Duration maxAge();

    @WithDefault("1073741824")
    long maxBytesPerApp();

    /** Per plan id ({@code slipway.logs.retention.plans.free.max-age=1d}); unset values fall back to the above. */
    Map<String, PlanRetention> plans();

    interface PlanRetention {
        Optional<Duration> maxAge();

        Optional<Long> maxBytesPerApp();
    }
}
