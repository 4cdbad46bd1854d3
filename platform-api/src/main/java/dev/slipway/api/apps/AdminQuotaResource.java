package dev.slipway.api.apps;

import dev.slipway.api.apps.QuotaResource.QuotaView;
import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.Tenant;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/** Platform admins override a tenant's quota; a field left null falls back to the platform default. */
@Path("/api/v1/admin/tenants/{tenant}/quota")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminQuotaResource {

    private static final BigDecimal MAX_CPU = new BigDecimal("99999");

    @Inject
    CurrentCaller caller;

    @Inject
    Quotas quotas;

    @Inject
    AuditLog audit;

    public record SetQuota(Integer maxInstances, BigDecimal maxCpu, Integer maxMemoryMb) {
    }

    @PUT
    @Transactional
    public QuotaView set(@PathParam("tenant") String tenantName, SetQuota body) {
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("only platform admins set quotas");
        }
        caller.requireScope(Scope.ADMIN);
        if (body == null) {
            throw ApiException.badRequest("MISSING_BODY", "this request needs a JSON body");
        }
        nonNegative("maxInstances", body.maxInstances());
        nonNegative("maxMemoryMb", body.maxMemoryMb());
        if (body.maxCpu() != null && (body.maxCpu().signum() < 0 || body.maxCpu().compareTo(MAX_CPU) > 0
                || body.maxCpu().scale() > 3)) {
            throw ApiException.invalidField("maxCpu", "must be between 0 and 99999 with at most 3 decimals");
        }
        Tenant tenant = Tenant.lockByName(tenantName).orElseThrow(() -> ApiException.notFound("TENANT_NOT_FOUND",
                "no tenant '" + tenantName + "'"));
        TenantQuota quota = TenantQuota.findById(tenant.id);
        if (quota == null) {
            quota = new TenantQuota();
            quota.tenantId = tenant.id;
            quota.persist();
        }
        quota.maxInstances = body.maxInstances();
        quota.maxCpu = body.maxCpu();
        quota.maxMemoryMb = body.maxMemoryMb();
        Map<String, Object> details = new HashMap<>();
        details.put("maxInstances", body.maxInstances());
        details.put("maxCpu", body.maxCpu());
        details.put("maxMemoryMb", body.maxMemoryMb());
        audit.record(tenantName, "quota.set", tenantName, details);
        return quotas.view(tenant.id);
    }

    private static void nonNegative(String field, Integer value) {
        if (value != null && value < 0) {
            throw ApiException.invalidField(field, "must not be negative");
        }
    }
}
