package dev.slipway.api.identity;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** A deletion guard as registry or apps would write one: it keeps tenants whose name starts with "keep". */
@ApplicationScoped
public class KeepTenantsForTests implements TenantDeletionGuard {

    static final String PREFIX = "keep-";
    static final String REASON = "tenant still holds things (test guard)";

    @Override
    public Optional<String> blockingReason(Tenant tenant) {
        return tenant.name.startsWith("keep") ? Optional.of(REASON) : Optional.empty();
    }
}
