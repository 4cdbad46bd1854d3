package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import dev.slipway.billing.rating.BillingPeriod;
import dev.slipway.billing.rating.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The quota hook for plans with hard limits (the free plan): deploy calls {@link #require} for
 * {@code vcpu_seconds} and {@code memory_gb_seconds} before starting instances, the registry for
 * {@code registry_storage_gb_hours} before accepting a push. A limit is a monthly ceiling: once this month's
 * usage has reached it, new work is refused until the next month or a plan change. Running instances are
 * not stopped.
 */
@ApplicationScoped
public class PlanLimits {

    @Inject
    PlanHistory plans;

    @Inject
    PgUsageRepository usage;

    /** @throws ApiException 402 {@code PLAN_LIMIT_REACHED} naming the meter, the limit and the plan */
    public void require(String tenant, Meter meter) {
        Instant now = Instant.now();
        Plan plan = plans.current(tenant, now);
        var limit = plan.hardLimit(meter);
        if (limit.isEmpty()) {
            return;
        }
        BillingPeriod period = BillingPeriod.containing(now);
        BigDecimal used = usage.usage(tenant, period.start(), now).stream()
                .filter(r -> r.meter() == meter && !r.start().isBefore(period.start()))
                .map(UsageRecord::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (used.compareTo(limit.get()) >= 0) {
            throw new ApiException(402, "PLAN_LIMIT_REACHED", "tenant '" + tenant + "' has used "
                    + InvoiceView.plain(used) + " of the " + InvoiceView.plain(limit.get()) + " " + meter.unit()
                    + "s (" + meter.wire() + ") that plan '" + plan.id() + "' allows in " + period
                    + "; change the plan (PUT /api/v1/tenants/" + tenant + "/plan) or wait for next month");
        }
    }
}
