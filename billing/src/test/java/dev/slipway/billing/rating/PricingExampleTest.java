package dev.slipway.billing.rating;

import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The worked example of docs/pricing.md, figure for figure. Change both together. */
class PricingExampleTest {

    @Test
    void novemberOnFreeThenPro() {
        var period = new BillingPeriod(YearMonth.of(2026, 11));
        Instant upgrade = Instant.parse("2026-11-16T00:00:00Z");
        var history = List.of(new PlanAssignment(StandardPlans.free(), Instant.parse("2026-10-01T00:00:00Z")),
                new PlanAssignment(StandardPlans.pro(), upgrade));
        var usage = new ArrayList<UsageRecord>();
        for (Instant t = period.start(); t.isBefore(period.end()); t = t.plusSeconds(3600)) {
            Instant end = t.plusSeconds(3600);
            // one instance, 0.5 vCPU and 128 MiB, all month: 1800 vCPU-s and 450 GiB-s per hour
            usage.add(new UsageRecord("acme", "web", "web-1", Meter.VCPU_SECONDS, new BigDecimal("1800"), t, end));
            usage.add(new UsageRecord("acme", "web", "web-1", Meter.MEMORY_GB_SECONDS, new BigDecimal("450"), t, end));
            // 3 GiB of images in the registry
            usage.add(new UsageRecord("acme", null, "registry:acme", Meter.REGISTRY_STORAGE_GB_HOURS, new BigDecimal("3"), t, end));
        }
        usage.add(new UsageRecord("acme", "web", "build:42", Meter.BUILD_MINUTES, new BigDecimal("90"),
                Instant.parse("2026-11-20T09:00:00Z"), Instant.parse("2026-11-20T10:30:00Z")));

        Invoice invoice = new RatingEngine().rate("acme", period, history, usage);

        var rows = invoice.lines().stream().map(l -> l.planId() + " " + l.meter().wire() + " "
                + l.quantity().stripTrailingZeros().toPlainString() + " x " + l.unitPrice().stripTrailingZeros().toPlainString()
                + " = " + l.amount().toMajor()).toList();
        assertEquals(List.of(
                "free vcpu_seconds 90000 x 0 = 0.00",
                "free vcpu_seconds 558000 x 0 = 0.00",
                "free memory_gb_seconds 162000 x 0 = 0.00",
                "free registry_storage_gb_hours 360 x 0 = 0.00",
                "free registry_storage_gb_hours 720 x 0 = 0.00",
                "pro vcpu_seconds 90000 x 0 = 0.00",
                "pro vcpu_seconds 558000 x 0.000012 = 6.70",
                "pro memory_gb_seconds 162000 x 0 = 0.00",
                "pro registry_storage_gb_hours 360 x 0 = 0.00",
                "pro registry_storage_gb_hours 720 x 0.00014 = 0.10",
                "pro build_minutes 60 x 0 = 0.00",
                "pro build_minutes 30 x 0.005 = 0.15"), rows);
        assertEquals(new BigDecimal("6.95"), invoice.total().toMajor());
    }
}
