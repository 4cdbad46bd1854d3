package dev.slipway.api.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A personal access token. Life: created (secret shown once, only its SHA-256 kept) -> used until
 * {@code expiresAt} -> or revoked earlier ({@code revokedAt} set). Rows are kept after revocation so listings
 * and audit entries can still name them.
 */
@Entity
@Table(name = "access_tokens")
public class PersonalAccessToken extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @Column(nullable = false)
    public String name;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    @Column(name = "display_hint", nullable = false)
    public String displayHint;

    /** Space-separated wire names. */
    @Column(nullable = false)
    public String scopes;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    public Set<Scope> scopeSet() {
        Set<Scope> set = EnumSet.noneOf(Scope.class);
        Arrays.stream(scopes.split(" ")).filter(s -> !s.isEmpty()).forEach(s -> set.add(Scope.fromWire(s)));
        return set;
    }

    public void scopeSet(Set<Scope> set) {
        scopes = set.stream().sorted().map(Scope::wire).collect(Collectors.joining(" "));
    }

    public boolean usableAt(OffsetDateTime now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
