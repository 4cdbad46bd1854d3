package dev.slipway.api.metering;

import dev.slipway.api.billing.PgUsageRepository;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Registry storage in GiB-hours: for each whole UTC hour, every tenant's stored bytes (unique blobs its repositories
 * hold, as the quota counts them) times one hour, measured when the job runs after the hour ended. One record per
 * tenant and hour (source {@code registry:<tenant id>}), so running the job again, or on several replicas, stores
 * nothing twice. An hour in which no API replica ran is not metered (in the tenant's favour).
 */
@ApplicationScoped
public class RegistryStorageMetering {

    private static final BigDecimal BYTES_PER_GIB = BigDecimal.valueOf(1L << 30);

    @Inject
    RegistryMetadata registry;

    @Inject
    PgUsageRepository usage;

    @Scheduled(identity = "metering-registry-storage", every = "${slipway.metering.every:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void meterLastHour() {
        meterHour(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)));
    }

    /** Meters the hour that starts at {@code hourStart} (truncated to the hour) with the bytes stored now. */
    @Transactional
    public List<UsageRecord> meterHour(Instant hourStart) {
        Instant start = hourStart.truncatedTo(ChronoUnit.HOURS);
        Instant end = start.plus(Duration.ofHours(1));
        List<UsageRecord> records = registry.storageOfAllTenants().stream()
                .filter(s -> s.bytes() > 0)
                .map(s -> new UsageRecord(s.tenant(), null, "registry:" + s.tenantId(),
                        Meter.REGISTRY_STORAGE_GB_HOURS,
                        BigDecimal.valueOf(s.bytes()).divide(BYTES_PER_GIB).stripTrailingZeros(), start, end))
                .toList();
        usage.record(records);
        return records;
    }
}
