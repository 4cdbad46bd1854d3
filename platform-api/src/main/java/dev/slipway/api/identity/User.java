package dev.slipway.api.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** A Keycloak account as Slipway knows it; created at its first sign-in (see {@link UserDirectory}). */
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Keycloak subject ({@code sub}); null only for a dev-seeded user who has not signed in yet. */
    public String subject;

    @Column(nullable = false)
    public String username;

    public String email;

    @Column(name = "platform_admin", nullable = false)
    public boolean platformAdmin;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public static Optional<User> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
