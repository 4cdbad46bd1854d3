package dev.slipway.api.apps;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A running (or wanted) copy of a release on a worker. The scheduler inserts rows and owns {@code desiredState},
 * {@code workerId} and the placement states ({@code pending}, {@code assigned}); the worker's session owns the
 * reported columns (state once running, health, restarts, exit code, log lines). Both write the same rows at the
 * same time, so updates must touch only the columns that changed ({@link DynamicUpdate}), never the whole row.
 */
@Entity
@Table(name = "instances")
@DynamicUpdate
public class Instance extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "app_id", nullable = false)
    public UUID appId;

    @Column(name = "release_id", nullable = false)
    public UUID releaseId;

    @Column(name = "worker_id")
    public UUID workerId;

    /** {@code running}: the worker should run it; {@code stopped}: stop it (the row goes once it stopped). */
    @Column(name = "desired_state", nullable = false)
    public String desiredState;

    @Column(nullable = false)
    public String state;

    @Column(name = "state_reason")
    public String stateReason;

    /** The app's restart generation this instance was started for; it never changes (a restart adds new rows). */
    @Column(name = "restart_generation", nullable = false)
    public int restartGeneration;

    @Column(name = "container_id")
    public String containerId;

    public String endpoint;

    @Column(nullable = false)
    public boolean healthy;

    @Column(nullable = false)
    public int restarts;

    @Column(name = "last_exit_code")
    public Integer lastExitCode;

    @Column(name = "oom_killed", nullable = false)
    public boolean oomKilled;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "last_log")
    public List<String> lastLog;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public boolean wanted() {
        return "running".equals(desiredState);
    }

    public static List<Instance> ofApp(UUID appId) {
        return list("appId = ?1 order by createdAt, id", appId);
    }

    static List<UUID> workersOf(UUID appId) {
        return getEntityManager().createQuery("select distinct i.workerId from Instance i"
                + " where i.appId = :app and i.workerId is not null", UUID.class).setParameter("app", appId)
                .getResultList();
    }
}
