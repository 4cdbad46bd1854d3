package dev.slipway.billing.rating;

import java.time.Instant;
import java.util.Objects;

/** From {@code effectiveFrom} on (until the next assignment) the tenant is on {@code plan}. */
public record PlanAssignment(Plan plan, Instant effectiveFrom) {
    public PlanAssignment {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    }
}
