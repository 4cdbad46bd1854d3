package dev.slipway.api.apps;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One numbered, immutable deployment of an app: image, command, env, port and limits. Only {@link #status} and
 * {@link #statusReason} change after insert (a database trigger rejects anything else), and an update writes only
 * the columns that changed.
 */
@Entity
@Table(name = "releases")
@DynamicUpdate
public class Release extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "app_id", nullable = false)
    public UUID appId;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false)
    public String image;

    @Column(name = "image_digest")
    public String imageDigest;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> command;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> env;

    @Column(nullable = false)
    public int port;

    @Column(nullable = false)
    public int replicas;

    @Column(nullable = false)
    public BigDecimal cpu;

    @Column(name = "memory_mb", nullable = false)
    public int memoryMb;

    @Column(nullable = false)
    public int pids;

    @Column(name = "health_path")
    public String healthPath;

    @Column(name = "health_interval")
    public Integer healthInterval;

    @Column(name = "health_timeout")
    public Integer healthTimeout;

    @Column(name = "rollback_of")
    public Integer rollbackOf;

    @Column(nullable = false)
    public String status;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    static Optional<Release> find(UUID appId, int version) {
        return find("appId = ?1 and version = ?2", appId, version).firstResultOptional();
    }

    static List<Release> newestFirst(UUID appId) {
        return list("appId = ?1 order by version desc", appId);
    }
}
