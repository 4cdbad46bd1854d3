package dev.slipway.api.apps;

import dev.slipway.api.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Per-tenant limits on what its apps may ask for: instances, total CPU and total memory. Usage counts desired
 * state (replicas of each app's current release times its limits), not what happens to run, so a quota holds
 * before any worker starts anything. Callers hold the tenant's row lock, which makes check-then-write atomic.
 */
@ApplicationScoped
public class Quotas {

    /** The limits that apply to a tenant. */
    public record Limit(int maxInstances, BigDecimal maxCpu, int maxMemoryMb) {
    }

    /** What a tenant's apps ask for now. */
    public record Usage(int instances, BigDecimal cpu, long memoryMb) {
    }

    @ConfigProperty(name = "slipway.quota.default.max-instances")
    int defaultInstances;

    @ConfigProperty(name = "slipway.quota.default.max-cpu")
    BigDecimal defaultCpu;

    @ConfigProperty(name = "slipway.quota.default.max-memory-mb")
    int defaultMemoryMb;

    @Inject
    EntityManager em;

    QuotaResource.QuotaView view(UUID tenantId) {
        return new QuotaResource.QuotaView(limitOf(tenantId), usageOf(tenantId, null));
    }

    public Limit limitOf(UUID tenantId) {
        TenantQuota override = TenantQuota.findById(tenantId);
        if (override == null) {
            return new Limit(defaultInstances, defaultCpu, defaultMemoryMb);
        }
        return new Limit(
                override.maxInstances != null ? override.maxInstances : defaultInstances,
                override.maxCpu != null ? override.maxCpu : defaultCpu,
                override.maxMemoryMb != null ? override.maxMemoryMb : defaultMemoryMb);
    }

    /** Usage of all the tenant's apps except {@code exceptApp} (null: all of them). */
    public Usage usageOf(UUID tenantId, UUID exceptApp) {
        Object[] row = (Object[]) em.createNativeQuery("""
                SELECT coalesce(sum(a.desired_replicas), 0), coalesce(sum(a.desired_replicas * r.cpu), 0),
                       coalesce(sum(a.desired_replicas * r.memory_mb), 0)
                FROM apps a JOIN releases r ON r.id = a.current_release_id
                WHERE a.tenant_id = ?1 AND a.id <> ?2""")
                .setParameter(1, tenantId)
                .setParameter(2, exceptApp == null ? new UUID(0, 0) : exceptApp)
                .getSingleResult();
        return new Usage(((Number) row[0]).intValue(), new BigDecimal(row[1].toString()).stripTrailingZeros(),
                ((Number) row[2]).longValue());
    }

    /**
     * 403 QUOTA_EXCEEDED unless the tenant can afford {@code app} running {@code replicas} instances of
     * {@code cpu}/{@code memoryMb} each, on top of what its other apps ask for.
     */
    void check(UUID tenantId, UUID app, int replicas, BigDecimal cpu, int memoryMb) {
        Limit limit = limitOf(tenantId);
        Usage others = usageOf(tenantId, app);
        long instances = (long) others.instances() + replicas;
        if (instances > limit.maxInstances()) {
            throw exceeded("maxInstances", Long.toString(instances), Integer.toString(limit.maxInstances()),
                    Integer.toString(others.instances()));
        }
        BigDecimal totalCpu = others.cpu().add(cpu.multiply(BigDecimal.valueOf(replicas)));
        if (totalCpu.compareTo(limit.maxCpu()) > 0) {
            throw exceeded("maxCpu", totalCpu.stripTrailingZeros().toPlainString(),
                    limit.maxCpu().stripTrailingZeros().toPlainString(), others.cpu().toPlainString());
        }
        long totalMemory = others.memoryMb() + (long) memoryMb * replicas;
        if (totalMemory > limit.maxMemoryMb()) {
            throw exceeded("maxMemoryMb", Long.toString(totalMemory), Integer.toString(limit.maxMemoryMb()),
                    Long.toString(others.memoryMb()));
        }
    }

    private static ApiException exceeded(String quota, String wanted, String limit, String others) {
        return new ApiException(403, "QUOTA_EXCEEDED", "quota " + quota + " exceeded: this would bring the tenant to "
                + wanted + " (other apps use " + others + "), the limit is " + limit);
    }
}
