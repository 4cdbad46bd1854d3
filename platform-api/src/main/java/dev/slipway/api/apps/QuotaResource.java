package dev.slipway.api.apps;

import dev.slipway.api.apps.Quotas.Limit;
import dev.slipway.api.apps.Quotas.Usage;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.TenantAccess;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A tenant's app quota as its members see it. Platform admins set it through {@link AdminQuotaResource}. */
@Path("/api/v1/tenants/{tenant}/quota")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    @Inject
    TenantAccess access;

    @Inject
    Quotas quotas;

    public record QuotaView(Limit limits, Usage usage) {
    }

    @GET
    @Transactional
    public QuotaView get(@PathParam("tenant") String tenantName) {
        return quotas.view(access.require(tenantName, Role.VIEWER, Scope.READ).id);
    }
}
