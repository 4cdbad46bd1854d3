package dev.slipway.api.apps;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A running (or wanted) copy of a release on a worker. Rows are written by the scheduler and reconciler, which do
 * not exist yet; the API only reads them, so today every app shows an empty instance list.
 */
@Entity
@Table(name = "instances")
public class Instance extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "app_id", nullable = false)
    public UUID appId;

    @Column(name = "release_id", nullable = false)
    public UUID releaseId;

    @Column(name = "worker_id")
    public UUID workerId;

    @Column(nullable = false)
    public String state;

    @Column(name = "state_reason")
    public String stateReason;

    @Column(nullable = false)
    public int restarts;

    @Column(name = "last_exit_code")
    public Integer lastExitCode;

    @Column(name = "oom_killed", nullable = false)
    public boolean oomKilled;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    static List<Instance> ofApp(UUID appId) {
        return list("appId = ?1 order by createdAt", appId);
    }
}
