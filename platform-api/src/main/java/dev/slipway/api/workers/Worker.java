package dev.slipway.api.workers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A host running host-engine that joined the platform. Life: joined (state {@code lost} until its first
 * {@code hello}) -> {@code ready} while its stream is alive -> {@code lost} when silent past
 * {@code slipway.workers.lost-after} (back to {@code ready} at its next hello) -> {@code removed} when a platform
 * admin deregisters it (final: its credential is refused from then on).
 */
@Entity
@Table(name = "workers")
public class Worker extends PanacheEntityBase {

    public static final String READY = "ready";
    public static final String LOST = "lost";
    public static final String DRAINING = "draining";
    public static final String REMOVED = "removed";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "credential_hash", nullable = false)
    public String credentialHash;

    @Column(name = "join_token_id")
    public UUID joinTokenId;

    @Column(nullable = false)
    public BigDecimal cpu;

    @Column(name = "memory_mb", nullable = false)
    public int memoryMb;

    @Column(name = "engine_version")
    public String engineVersion;

    @Column(nullable = false)
    public String state;

    @Column(name = "connected_to")
    public String connectedTo;

    @Column(name = "last_seen_at")
    public OffsetDateTime lastSeenAt;

    @Column(name = "joined_at", nullable = false)
    public OffsetDateTime joinedAt;
}
