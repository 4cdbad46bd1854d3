package dev.slipway.api.identity;

import java.util.Optional;

/**
 * A veto on deleting a tenant. Parts that keep things under a tenant (registry repositories, apps) implement this
 * as an {@code @ApplicationScoped} bean; {@link TenantService#delete} asks every guard inside the deleting
 * transaction, after the tenant row is locked, and refuses with 409 {@code TENANT_NOT_EMPTY} if any answers.
 */
public interface TenantDeletionGuard {

    /** Why the tenant cannot be deleted now, e.g. "tenant still has 3 repositories"; empty when it can. */
    Optional<String> blockingReason(Tenant tenant);
}
