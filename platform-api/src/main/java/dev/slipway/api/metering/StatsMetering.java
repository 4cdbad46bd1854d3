package dev.slipway.api.metering;

import dev.slipway.api.billing.PgUsageRepository;
import dev.slipway.api.workers.WorkerStatsSink;
import dev.slipway.billing.UsageRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Where workers' {@code stats} frames become samples (for the metrics API) and usage (for billing). A frame is
 * handled in one transaction. Any frame may come twice (reconnect, retry) or late (after newer ones): a repeated
 * sample is recognised by its key (instance, time) and changes nothing; a late one is kept for the charts but
 * bills nothing, because the newer sample's cumulative counters already covered its time. How intervals are
 * measured, restarts and lost workers included, is {@link UsageIntervals}'s job.
 */
@ApplicationScoped
public class StatsMetering implements WorkerStatsSink {

    private static final Logger LOG = Logger.getLogger(StatsMetering.class);

    /** What became of one sample, for tests and logs. */
    public enum Outcome { METERED, DUPLICATE, LATE, NOT_ON_WORKER, INVALID }

    @Inject
    InstanceSamples samples;

    @Inject
    PgUsageRepository usage;

    @Inject
    MeteringConfig config;

    /** Workers send stats this often; a gap must be longer than a couple of intervals to mean "lost". */
    @ConfigProperty(name = "slipway.workers.stats-interval", defaultValue = "10s")
    Duration statsInterval;

    @Override
    public void store(UUID workerId, Instant at, List<Sample> frame) {
        meter(workerId, at, frame);
    }

    /** {@link #store}, telling what became of each sample (in frame order). */
    @Transactional
    public List<Outcome> meter(UUID workerId, Instant at, List<Sample> frame) {
        // PostgreSQL keeps microseconds: a repeated frame must compare equal to the stored sample
        Instant time = at.truncatedTo(ChronoUnit.MICROS);
        List<UUID> ids = frame.stream().map(Sample::instanceId).filter(java.util.Objects::nonNull).distinct().toList();
        Map<UUID, MeteredInstance> placed = ids.isEmpty() ? Map.of() : samples.onWorker(workerId, ids);
        List<Outcome> outcomes = new ArrayList<>(frame.size());
        List<UsageRecord> records = new ArrayList<>();
        for (Sample s : frame) {
            Outcome outcome;
            if (!valid(s)) {
                outcome = Outcome.INVALID;
            } else if (!placed.containsKey(s.instanceId())) {
                outcome = Outcome.NOT_ON_WORKER;
            } else {
                outcome = meterOne(placed.get(s.instanceId()), workerId, time, s, records);
            }
            if (outcome == Outcome.INVALID || outcome == Outcome.NOT_ON_WORKER) {
                LOG.debugf("stats sample of instance %s from worker %s ignored: %s", s.instanceId(), workerId,
                        outcome);
            }
            outcomes.add(outcome);
        }
        usage.record(records);
        return outcomes;
    }

    private Outcome meterOne(MeteredInstance instance, UUID workerId, Instant at, Sample s,
            List<UsageRecord> records) {
        samples.lock(instance.instanceId());
        Instant startedAt = s.startedAt().truncatedTo(ChronoUnit.MICROS);
        if (!samples.insert(instance, workerId, at, startedAt, s.cpuUsageNanos(), s.memoryBytes(),
                s.memoryLimitBytes(), s.pids())) {
            return Outcome.DUPLICATE;
        }
        if (samples.anyAfter(instance.instanceId(), at)) {
            return Outcome.LATE;
        }
        Optional<StoredSample> previous = samples.before(instance.instanceId(), at);
        records.addAll(UsageIntervals.between(instance, previous,
                new StoredSample(at, startedAt, s.cpuUsageNanos(), s.memoryBytes()), maxGap()));
        return Outcome.METERED;
    }

    /** The configured gap, but never less than two stats intervals: a slow interval must not look like a loss. */
    private Duration maxGap() {
        Duration floor = statsInterval.multipliedBy(2);
        return config.maxGap().compareTo(floor) < 0 ? floor : config.maxGap();
    }

    private static boolean valid(Sample s) {
        return s != null && s.instanceId() != null && s.startedAt() != null && s.cpuUsageNanos() >= 0
                && s.memoryBytes() >= 0 && s.memoryLimitBytes() >= 0 && s.pids() >= 0;
    }
}
