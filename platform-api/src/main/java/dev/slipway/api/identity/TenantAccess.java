package dev.slipway.api.identity;

import dev.slipway.api.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The one tenant-access check. Every endpoint that reads or changes something of a tenant calls {@link #require}
 * first. Order matters: membership before role before scope, so that a stranger learns nothing (404 whether the
 * tenant exists or not) and a member learns only what they lack (403).
 */
@ApplicationScoped
public class TenantAccess {

    @Inject
    CurrentCaller caller;

    @Transactional
    public Tenant require(String tenantName, Role minRole, Scope scope) {
        Membership membership = tenantName == null ? null : Membership.<Membership>find(
                "select m from Membership m join fetch m.tenant t where t.name = ?1 and m.user.id = ?2",
                tenantName, caller.userId()).firstResult();
        if (membership == null) {
            throw notFound(tenantName);
        }
        if (!membership.role.atLeast(minRole)) {
            throw ApiException.forbidden("this needs the role '" + minRole.wire() + "' in tenant '" + tenantName
                    + "'; you are '" + membership.role.wire() + "'");
        }
        caller.requireScope(scope);
        return membership.tenant;
    }

    static ApiException notFound(String tenantName) {
        return ApiException.notFound("TENANT_NOT_FOUND", "no tenant '" + tenantName + "' that you are a member of");
    }
}
