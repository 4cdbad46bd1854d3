package dev.slipway.api.billing;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.billing.rating.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Map;

/** Changes to billing set-up, each audited in the same transaction. Callers have checked access. */
@ApplicationScoped
public class BillingAdministration {

    @Inject
    PlanCatalog catalog;

    @Inject
    PlanHistory history;

    @Inject
    AuditLog audit;

    @Transactional
    public void publish(Plan plan) {
        catalog.add(plan);
        audit.record(null, "billing.plan.create", plan.id(), Map.of("currency", plan.currency().getCurrencyCode()));
    }

    /**
     * Moves the tenant to {@code planId} from {@code now}; the open month is prorated. Asking for the plan the
     * tenant is on changes nothing: a needless cut would prorate the month's allowances and tiers.
     */
    @Transactional
    public Plan changePlan(String tenant, String planId, Instant now) {
        Plan plan = catalog.require(planId);
        Plan current = history.current(tenant, now);
        if (!current.currency().equals(plan.currency())) {
            throw dev.slipway.api.error.ApiException.conflict("PLAN_CURRENCY_MISMATCH", "plan '" + planId
                    + "' is billed in " + plan.currency() + ", the tenant's plan in " + current.currency());
        }
        if (current.id().equals(plan.id())) {
            return plan;
        }
        history.assign(tenant, planId, now);
        audit.record(tenant, "billing.plan.change", tenant, Map.of("from", current.id(), "to", planId));
        return plan;
    }
}
