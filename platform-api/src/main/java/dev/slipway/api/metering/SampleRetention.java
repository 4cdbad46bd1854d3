package dev.slipway.api.metering;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes samples past the retention. Usage is already recorded when a sample arrives, and the newest sample of a
 * running instance is seconds old, so pruning never changes what is billed.
 */
@ApplicationScoped
public class SampleRetention {

    private static final Logger LOG = Logger.getLogger(SampleRetention.class);
    /** The metrics API promises the last hour; a shorter setting would break that promise. */
    static final Duration MINIMUM = Duration.ofHours(1);

    @Inject
    InstanceSamples samples;

    @Inject
    MeteringConfig config;

    @Scheduled(identity = "metering-prune-samples", every = "${slipway.metering.every:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneOnSchedule() {
        prune();
    }

    /** Deletes the samples past the retention; returns how many. */
    @Transactional
    public int prune() {
        Duration keep = config.retention().compareTo(MINIMUM) < 0 ? MINIMUM : config.retention();
        int deleted = samples.prune(Instant.now().minus(keep));
        if (deleted > 0) {
            LOG.debugf("pruned %d instance samples older than %s", deleted, keep);
        }
        return deleted;
    }
}
