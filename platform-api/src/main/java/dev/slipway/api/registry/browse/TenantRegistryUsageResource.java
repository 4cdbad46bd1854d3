package dev.slipway.api.registry.browse;

import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.Tenant;
import dev.slipway.api.identity.TenantAccess;
import dev.slipway.api.registry.quota.RegistryQuotas;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A tenant's registry storage use against its quota. */
@Path("/api/v1/tenants/{tenant}/registry")
@Produces(MediaType.APPLICATION_JSON)
public class TenantRegistryUsageResource {

    @Inject
    TenantAccess access;
    @Inject
    RegistryQuotas quotas;

    @GET
    @Path("usage")
    public RegistryQuotas.Usage usage(@PathParam("tenant") String tenantName) {
        Tenant tenant = access.require(tenantName, Role.VIEWER, Scope.READ);
        return quotas.usage(tenant.id, tenant.name);
    }
}
