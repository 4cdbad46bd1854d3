package dev.slipway.api.apps;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.UUID;

/** A platform admin's override of the default quota for one tenant; a null field keeps the default. */
@Entity
@Table(name = "tenant_quotas")
public class TenantQuota extends PanacheEntityBase {

    @Id
    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "max_instances")
    public Integer maxInstances;

    @Column(name = "max_cpu")
    public BigDecimal maxCpu;

    @Column(name = "max_memory_mb")
    public Integer maxMemoryMb;
}
