package dev.slipway.billing.rating;

import dev.slipway.billing.Meter;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * The two plans every Slipway installation starts with (seeded by platform-api's V5 migration, which a
 * test compares with these). docs/pricing.md explains the numbers.
 */
public final class StandardPlans {

    public static final Currency USD = Currency.getInstance("USD");

    private static final BigDecimal VCPU_ALLOWANCE = new BigDecimal("180000");        // 50 vCPU-hours
    private static final BigDecimal MEMORY_ALLOWANCE = new BigDecimal("360000");      // 100 GiB-hours
    private static final BigDecimal STORAGE_ALLOWANCE = new BigDecimal("720");        // 1 GiB for 30 days
    private static final BigDecimal BUILD_ALLOWANCE = new BigDecimal("120");          // 2 build hours

    private StandardPlans() {
    }

    /** Allowances only; the allowances are also hard limits enforced at deploy and push. */
    public static Plan free() {
        return new Plan("free", "Free", USD, List.of(
                PriceComponent.perUnit(Meter.VCPU_SECONDS, VCPU_ALLOWANCE, BigDecimal.ZERO),
                PriceComponent.perUnit(Meter.MEMORY_GB_SECONDS, MEMORY_ALLOWANCE, BigDecimal.ZERO),
                PriceComponent.perUnit(Meter.REGISTRY_STORAGE_GB_HOURS, STORAGE_ALLOWANCE, BigDecimal.ZERO),
                PriceComponent.perUnit(Meter.BUILD_MINUTES, BUILD_ALLOWANCE, BigDecimal.ZERO)),
                Map.of(Meter.VCPU_SECONDS, VCPU_ALLOWANCE,
                        Meter.MEMORY_GB_SECONDS, MEMORY_ALLOWANCE,
                        Meter.REGISTRY_STORAGE_GB_HOURS, STORAGE_ALLOWANCE,
                        Meter.BUILD_MINUTES, BUILD_ALLOWANCE));
    }

    /** The same allowances, then unit prices; vCPU is cheaper beyond one vCPU-month (2,592,000 s). */
    public static Plan pro() {
        return new Plan("pro", "Pro", USD, List.of(
                new PriceComponent(Meter.VCPU_SECONDS, VCPU_ALLOWANCE, List.of(
                        new Tier(new BigDecimal("2592000"), new BigDecimal("0.000012")),
                        Tier.unbounded(new BigDecimal("0.000010")))),
                PriceComponent.perUnit(Meter.MEMORY_GB_SECONDS, MEMORY_ALLOWANCE, new BigDecimal("0.0000015")),
                PriceComponent.perUnit(Meter.REGISTRY_STORAGE_GB_HOURS, STORAGE_ALLOWANCE, new BigDecimal("0.00014")),
                PriceComponent.perUnit(Meter.BUILD_MINUTES, BUILD_ALLOWANCE, new BigDecimal("0.005"))),
                Map.of());
    }
}
