package dev.slipway.api.workers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A secret a platform admin hands to a new host so it can join as a worker. Life: created (secret shown once,
 * only its SHA-256 kept) -> consumed by joins, one use each, until {@code maxUses} is reached or it expires ->
 * or revoked earlier. Rows stay after that so listings and the workers that joined with them can name them.
 */
@Entity
@Table(name = "join_tokens")
public class JoinToken extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    public String description;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    /** Null: any number of joins until expiry or revocation. */
    @Column(name = "max_uses")
    public Integer maxUses;

    @Column(nullable = false)
    public int uses;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    boolean usableAt(OffsetDateTime now) {
        return revokedAt == null && now.isBefore(expiresAt) && (maxUses == null || uses < maxUses);
    }
}
