package dev.slipway.api.registry.browse;

import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.TenantAccess;
import dev.slipway.api.registry.RegistryConfig;
import dev.slipway.api.registry.RegistryMetadata;
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
    RegistryMetadata metadata;
    @Inject
    RegistryConfig config;

    @GET
    @Path("usage")
    public RepositoryDetails.Usage usage(@PathParam("tenant") String tenant) {
        access.require(tenant, Role.VIEWER, Scope.READ);
        return new RepositoryDetails.Usage(tenant, metadata.tenantUsage(tenant),
                metadata.quotaOf(tenant).orElse(config.defaultQuotaBytes()));
    }
}
