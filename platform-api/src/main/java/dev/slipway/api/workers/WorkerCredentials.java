package dev.slipway.api.workers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Checks a worker's own credential ({@code Authorization: Bearer slw_...}) on its stream. */
@ApplicationScoped
public class WorkerCredentials {

    @Inject
    EntityManager em;

    /** The worker holding this credential, unless it is unknown or the worker was removed. */
    @Transactional
    public Optional<UUID> authenticate(String credential) {
        if (credential == null || !credential.startsWith(Secrets.CREDENTIAL_PREFIX)) {
            return Optional.empty();
        }
        List<?> ids = em.createNativeQuery("SELECT id FROM workers WHERE credential_hash = ?1 AND state <> 'removed'")
                .setParameter(1, Secrets.sha256(credential)).getResultList();
        return ids.stream().findFirst().map(id -> (UUID) id);
    }

    /** The credential in an {@code Authorization} header value, or null when there is none. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
