package dev.slipway.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.billing.PgUsageRepository;
import dev.slipway.api.metering.RegistryStorageMetering;
import dev.slipway.api.testsupport.Api;
import dev.slipway.billing.Meter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** Stored bytes become GiB-hours once per tenant and hour, counting each blob once per tenant. */
@QuarkusTest
class RegistryStorageMeteringTest {

    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

    @Inject
    RegistryStorageMetering metering;

    @Inject
    PgUsageRepository usage;

    @Test
    void eachHourIsMeteredOncePerTenantWithItsUniqueStoredBytes() {
        RegistryUser owner = RegistryUser.create("storage");
        String t = Api.createTenant(owner.user(), "storage");
        RegistryProtocolTest.pushBlob(owner, t + "/one", new byte[4096]);
        RegistryProtocolTest.pushBlob(owner, t + "/two", new byte[4096]); // same bytes: stored and billed once
        RegistryProtocolTest.pushBlob(owner, t + "/two", "more".getBytes());
        RegistryUser other = RegistryUser.create("storage-b");
        String empty = Api.createTenant(other.user(), "storageb");

        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        metering.meterHour(hour.plusSeconds(1234));
        metering.meterHour(hour);
        BigDecimal expected = BigDecimal.valueOf(4096 + 4).divide(GIB);
        BigDecimal metered = usage.total(t, Meter.REGISTRY_STORAGE_GB_HOURS, hour, hour.plusSeconds(3600));
        assertEquals(0, expected.compareTo(metered), "one record of " + expected + " GiB-hours, got " + metered);
        assertEquals(0, BigDecimal.ZERO.compareTo(
                usage.total(empty, Meter.REGISTRY_STORAGE_GB_HOURS, hour, hour.plusSeconds(3600))));

        metering.meterHour(hour.plus(Duration.ofHours(1)));
        assertEquals(0, expected.multiply(BigDecimal.TWO).compareTo(
                usage.total(t, Meter.REGISTRY_STORAGE_GB_HOURS, hour, hour.plusSeconds(7200))));
    }
}
