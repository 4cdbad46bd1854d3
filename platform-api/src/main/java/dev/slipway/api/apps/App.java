package dev.slipway.api.apps;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A tenant's application: a name, how many instances it should run and which release they should run. */
@Entity
@Table(name = "apps")
public class App extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Column(nullable = false)
    public String name;

    @Column(name = "desired_replicas", nullable = false)
    public int desiredReplicas;

    @Column(name = "current_release_id")
    public UUID currentReleaseId;

    @Column(name = "last_release", nullable = false)
    public int lastRelease;

    @Column(name = "restart_generation", nullable = false)
    public int restartGeneration;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    static Optional<App> find(UUID tenantId, String name) {
        return find("tenantId = ?1 and name = ?2", tenantId, name).firstResultOptional();
    }

    /** Locks the app row: serialises release numbering and changes of one app. */
    static Optional<App> lock(UUID tenantId, String name) {
        return find("tenantId = ?1 and name = ?2", tenantId, name).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    static List<App> ofTenant(UUID tenantId) {
        return list("tenantId = ?1 order by name", tenantId);
    }
}
