package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.Tenant;
import dev.slipway.billing.Meter;
import dev.slipway.billing.rating.BillingPeriod;
import dev.slipway.billing.rating.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The quota hook for plans with hard limits (the free plan): deploy calls {@link #checkDeploy} before starting
 * instances, the registry calls {@link #require} for {@code registry_storage_gb_hours} before accepting new bytes.
 * A limit is a monthly ceiling: once this month's usage has reached it, new work is refused until the next month
 * or a plan change. Running instances are not stopped and stored images are not deleted.
 */
@ApplicationScoped
public class PlanLimits {

    /** The error code of every refusal, for clients to branch on. */
    public static final String CODE = "PLAN_LIMIT_REACHED";

    @Inject
    PlanHistory plans;

    @Inject
    PgUsageRepository usage;

    /** @throws ApiException 402 {@value #CODE} naming the meter, the limit and the plan */
    public void require(String tenant, Meter meter) {
        Instant now = Instant.now();
        Plan plan = plans.current(tenant, now);
        var limit = plan.hardLimit(meter);
        if (limit.isEmpty()) {
            return;
        }
        BillingPeriod period = BillingPeriod.containing(now);
        BigDecimal used = usage.total(tenant, meter, period.start(), now);
        if (used.compareTo(limit.get()) >= 0) {
            throw new ApiException(402, CODE, "tenant '" + tenant + "' has used "
                    + InvoiceView.plain(used) + " of the " + InvoiceView.plain(limit.get()) + " " + meter.unit()
                    + "s (" + meter.wire() + ") that plan '" + plan.id() + "' allows in " + period
                    + "; change the plan (PUT /api/v1/tenants/" + tenant + "/plan) or wait for next month");
        }
    }

    /**
     * Called by the scheduler before it places new instances of a tenant's app ({@code instances} copies with
     * {@code cpu} vCPUs and {@code memoryMb} MiB each): refused once the plan's monthly reserved-vCPU or
     * reserved-memory ceiling is reached. Joins the caller's transaction; reads only.
     *
     * @throws ApiException 402 {@value #CODE} naming the meter, the limit and the plan; 400 for nonsense input
     */
    public void checkDeploy(UUID tenantId, int instances, BigDecimal cpu, int memoryMb) {
        if (instances < 0 || cpu == null || cpu.signum() < 0 || memoryMb < 0) {
            throw ApiException.badRequest("INVALID_DEPLOY_SIZE", "instances, cpu and memoryMb must not be negative");
        }
        if (instances == 0) {
            return;
        }
        Tenant tenant = Tenant.<Tenant>findByIdOptional(tenantId).orElseThrow(() -> ApiException.notFound(
                "TENANT_NOT_FOUND", "no tenant with id " + tenantId));
        if (cpu.signum() > 0) {
            require(tenant.name, Meter.VCPU_SECONDS);
        }
        if (memoryMb > 0) {
            require(tenant.name, Meter.MEMORY_GB_SECONDS);
        }
    }
}
