package dev.slipway.api.apps;

import dev.slipway.api.identity.Tenant;
import dev.slipway.api.identity.TenantDeletionGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** A tenant with apps cannot be deleted: its apps (and their instances) must be deleted first. */
@ApplicationScoped
public class AppsDeletionGuard implements TenantDeletionGuard {

    @Override
    public Optional<String> blockingReason(Tenant tenant) {
        long apps = App.count("tenantId", tenant.id);
        return apps == 0 ? Optional.empty() : Optional.of("tenant still has " + apps + " app(s); delete them first");
    }
}
