package dev.slipway.api.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Mirrors Keycloak accounts into the {@code users} table. A row appears at a user's first sign-in and is refreshed
 * (username, email, platform-admin flag) when those change in Keycloak. A row the dev seed created by username,
 * before the user ever signed in, is claimed by the first sign-in with that username.
 */
@ApplicationScoped
public class UserDirectory {

    @Inject
    EntityManager em;

    /** The id of the user with this Keycloak subject, creating or refreshing the row as needed. */
    @Transactional
    public UUID signIn(String subject, String username, String email, boolean platformAdmin) {
        User user = User.<User>find("subject", subject).firstResult();
        if (user == null) {
            user = User.<User>find("username = ?1 and subject is null", username).firstResult();
        }
        if (user != null) {
            user.subject = subject;
            user.username = username;
            user.email = email;
            user.platformAdmin = platformAdmin;
            return user.id;
        }
        // One statement, so concurrent first requests of one user (a dashboard loading) create one row.
        return (UUID) em.createNativeQuery("""
                INSERT INTO users (id, subject, username, email, platform_admin) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (subject) DO UPDATE SET username = excluded.username
                RETURNING id""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, subject).setParameter(3, username)
                .setParameter(4, email).setParameter(5, platformAdmin)
                .getSingleResult();
    }

    /** Whether the user held the Keycloak realm role platform-admin at their last sign-in. */
    @Transactional
    public boolean isPlatformAdmin(UUID userId) {
        return User.<User>findByIdOptional(userId).map(u -> u.platformAdmin).orElse(false);
    }

    /** Creates a user who has not signed in yet (dev seed), or returns the existing one. */
    @Transactional
    public User ensurePending(String username) {
        return User.findByUsername(username).orElseGet(() -> {
            User user = new User();
            user.id = UUID.randomUUID();
            user.username = username;
            user.createdAt = java.time.OffsetDateTime.now();
            user.persist();
            return user;
        });
    }
}
