package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.billing.Meter;
import dev.slipway.billing.metering.InstanceReport;
import dev.slipway.billing.rating.BillingPeriod;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PlanLimitsTest {

    @Inject
    UsageIngestion ingestion;

    @Inject
    PlanLimits limits;

    @Test
    void theFreePlansLimitRefusesNewWorkOnceReachedAndProHasNone() {
        TestUser owner = TestUser.create("limit-owner");
        String tenant = Api.createTenant(owner, "limit");
        assertDoesNotThrow(() -> limits.require(tenant, Meter.VCPU_SECONDS));

        // just over the free plan's 180,000 vCPU-seconds, inside the current month
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long seconds = BillingFixtures.secondsInOpenMonth(now, 60);
        BigDecimal vcpus = new BigDecimal("180001").divide(BigDecimal.valueOf(seconds), 0, RoundingMode.CEILING);
        ingestion.ingest(new InstanceReport(tenant, "big", "big-1", now, 0, 0, vcpus, 1L << 30, Duration.ofSeconds(seconds)));

        ApiException refused = assertThrows(ApiException.class, () -> limits.require(tenant, Meter.VCPU_SECONDS));
        assertEquals(402, refused.status());
        assertEquals("PLAN_LIMIT_REACHED", refused.code());
        assertTrue(refused.getMessage().contains("vcpu_seconds") && refused.getMessage().contains("'free'"), refused.getMessage());
        assertDoesNotThrow(() -> limits.require(tenant, Meter.BUILD_MINUTES));

        owner.api().body(Map.of("plan", "pro")).put("/api/v1/tenants/" + tenant + "/plan").then().statusCode(200);
        assertDoesNotThrow(() -> limits.require(tenant, Meter.VCPU_SECONDS));
    }
}
