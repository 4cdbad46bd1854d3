package dev.slipway.api.billing;

import dev.slipway.billing.metering.InstanceReport;

import dev.slipway.billing.rating.BillingPeriod;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Worker reports as the deploy part will send them: an instance with 0.5 vCPU and 128 MiB. */
final class BillingFixtures {

    static final long MIB_128 = 128L << 20;

    private BillingFixtures() {
    }

    static InstanceReport report(String tenant, String instance, Instant at, long runningSeconds) {
        return new InstanceReport(tenant, "web", instance, at, runningSeconds * 100_000_000L, 32L << 20,
                new BigDecimal("0.5"), MIB_128, Duration.ofSeconds(runningSeconds));
    }

    /**
     * A running time of at most {@code max} seconds that ends at {@code now} and still starts inside the open
     * month, so tests about the current month pass even right after midnight on the 1st.
     */
    static long secondsInOpenMonth(Instant now, long max) {
        return Math.max(1, Math.min(max, Duration.between(BillingPeriod.containing(now).start(), now).toSeconds()));
    }

    /** The quantity of {@code meter} summed over the rows of a usage summary (JSON as parsed by REST Assured). */
    static BigDecimal sum(List<Map<String, Object>> rows, String meter) {
        return rows.stream().filter(r -> meter.equals(r.get("meter")))
                .map(r -> new BigDecimal((String) r.get("quantity"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
