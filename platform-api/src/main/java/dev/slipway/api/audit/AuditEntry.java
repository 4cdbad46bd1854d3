package dev.slipway.api.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One change made to the platform: who (user, token or session), from where, what, to which target, when. */
@Entity
@Table(name = "audit_entries")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false)
    public OffsetDateTime occurredAt;

    @Column(name = "tenant_name")
    public String tenantName;

    /** The tenant's immutable id; the name alone could be a later tenant's. Null for platform-level entries. */
    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "actor_user_id")
    public UUID actorUserId;

    @Column(name = "actor_username")
    public String actorUsername;

    @Column(name = "token_id")
    public UUID tokenId;

    @Column(name = "source_ip")
    public String sourceIp;

    @Column(nullable = false)
    public String action;

    public String target;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> details;
}
