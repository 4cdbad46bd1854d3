package dev.slipway.api.registry.quota;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.Tenant;
import dev.slipway.api.registry.RegistryMetadata;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Platform admins set a tenant's registry storage quota ({@code PUT}) or return it to the platform default
 * ({@code DELETE}). The quota belongs to the tenant's id: it goes with the tenant, and a new tenant that takes the
 * name starts on the default.
 */
@Path("/api/v1/admin/tenants/{tenant}/registry-quota")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminRegistryQuotaResource {

    /** 1 PiB: beyond any disk this platform runs on; larger values are typing mistakes. */
    static final long MAX_BYTES = 1L << 50;

    @Inject
    CurrentCaller caller;

    @Inject
    RegistryMetadata metadata;

    @Inject
    RegistryQuotas quotas;

    @Inject
    AuditLog audit;

    public record SetRegistryQuota(Long bytes) {
    }

    @PUT
    @Transactional
    public RegistryQuotas.Usage set(@PathParam("tenant") String tenantName, SetRegistryQuota body) {
        requirePlatformAdmin();
        if (body == null) {
            throw ApiException.badRequest("MISSING_BODY", "this request needs a JSON body: {\"bytes\":<quota>}");
        }
        if (body.bytes() == null || body.bytes() < 0 || body.bytes() > MAX_BYTES) {
            throw ApiException.invalidField("bytes", "must be a whole number of bytes between 0 and " + MAX_BYTES);
        }
        Tenant tenant = lock(tenantName);
        metadata.setQuota(tenant.id, body.bytes());
        audit.record(tenantName, "registry.quota.set", tenantName, Map.of("bytes", body.bytes()));
        return quotas.usage(tenant.id, tenant.name);
    }

    @DELETE
    @Transactional
    public RegistryQuotas.Usage reset(@PathParam("tenant") String tenantName) {
        requirePlatformAdmin();
        Tenant tenant = lock(tenantName);
        metadata.clearQuota(tenant.id);
        audit.record(tenantName, "registry.quota.reset", tenantName, Map.of());
        return quotas.usage(tenant.id, tenant.name);
    }

    private void requirePlatformAdmin() {
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("only platform admins set registry quotas");
        }
        caller.requireScope(Scope.ADMIN);
    }

    private static Tenant lock(String name) {
        return Tenant.lockByName(name).orElseThrow(() -> ApiException.notFound("TENANT_NOT_FOUND",
                "no tenant '" + name + "'"));
    }
}
