package dev.slipway.api.logs;

import dev.slipway.api.billing.PlanHistory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/** The plan hook of retention: a tenant's current plan decides how long and how much of its apps' logs stay. */
@ApplicationScoped
public class LogRetentionPolicy {

    public record Limits(Duration maxAge, long maxBytesPerApp) {
    }

    @Inject
    LogRetentionConfig config;

    @Inject
    PlanHistory plans;

    public Limits limitsFor(String tenantName) {
        String plan;
        try {
            plan = plans.current(tenantName, Instant.now()).id();
        } catch (RuntimeException e) {
            plan = null; // no plan known: the platform defaults
        }
        LogRetentionConfig.PlanRetention byPlan = plan == null ? null : config.plans().get(plan);
        Duration age = byPlan == null ? config.maxAge() : byPlan.maxAge().orElse(config.maxAge());
        long bytes = byPlan == null ? config.maxBytesPerApp()
                : byPlan.maxBytesPerApp().orElse(config.maxBytesPerApp());
        return new Limits(age, bytes);
    }

    /** The longest age any plan keeps: whole days older than this are dropped as partitions. */
    public Duration longestMaxAge() {
        Duration longest = config.maxAge();
        for (LogRetentionConfig.PlanRetention p : config.plans().values()) {
            if (p.maxAge().isPresent() && p.maxAge().get().compareTo(longest) > 0) {
                longest = p.maxAge().get();
            }
        }
        return longest;
    }
}
