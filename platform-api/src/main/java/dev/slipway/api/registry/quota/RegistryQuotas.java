package dev.slipway.api.registry.quota;

import dev.slipway.api.billing.PlanLimits;
import dev.slipway.api.error.ApiException;
import dev.slipway.api.registry.RegistryConfig;
import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.billing.Meter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's registry storage against its limits: the byte quota (per tenant id, set by platform admins, else the
 * configured default) and its plan's monthly storage ceiling. Both are checked when a push links a blob the tenant
 * does not hold yet, inside the transaction that links it, so a refused push leaves nothing behind.
 */
@ApplicationScoped
public class RegistryQuotas {

    /** Usage of one tenant, as the REST API shows it. */
    public record Usage(String tenant, long usedBytes, long quotaBytes) {
    }

    @Inject
    RegistryMetadata metadata;

    @Inject
    RegistryConfig config;

    @Inject
    PlanLimits planLimits;

    public Usage usage(UUID tenantId, String tenantName) {
        return new Usage(tenantName, metadata.tenantUsage(tenantId), quotaBytes(tenantId));
    }

    public long quotaBytes(UUID tenantId) {
        return metadata.quotaOf(tenantId).orElse(config.defaultQuotaBytes());
    }

    /**
     * Refuses ({@code DENIED}) a link of {@code size} new bytes that would take the tenant over its quota, or that
     * comes after the tenant's plan has used up its monthly storage. {@code state} must have been read in the linking
     * transaction, which holds the tenant's lock, so that concurrent pushes of one tenant are checked one after the
     * other.
     */
    public void requireRoomFor(String tenant, RegistryMetadata.QuotaState state, long size) {
        if (state.holdsBlob()) {
            return;
        }
        long quota = state.quotaBytes() == null ? config.defaultQuotaBytes() : state.quotaBytes();
        long after = state.usedBytes() + size;
        if (after > quota) {
            throw new RegistryException(RegistryError.DENIED, 403,
                    "storage quota of tenant " + tenant + " exceeded: " + after + " bytes needed, quota is " + quota
                            + " bytes",
                    Map.of("quota", quota, "needed", after), Map.of());
        }
        requirePlanRoom(tenant);
    }

    public static RegistryException noTenant(String tenant) {
        return new RegistryException(RegistryError.DENIED, 403, "tenant " + tenant + " does not exist", Map.of(),
                Map.of());
    }

    private void requirePlanRoom(String tenant) {
        try {
            planLimits.require(tenant, Meter.REGISTRY_STORAGE_GB_HOURS);
        } catch (ApiException e) {
            throw new RegistryException(RegistryError.DENIED, 403, e.getMessage(),
                    Map.of("planLimit", Meter.REGISTRY_STORAGE_GB_HOURS.wire()), Map.of());
        }
    }
}
