package dev.slipway.api.workers;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Issues, lists, revokes and consumes join tokens (docs/worker-protocol.md, "Joining a worker"). */
@ApplicationScoped
public class JoinTokenService {

    public static final int MIN_EXPIRY_HOURS = 1;
    public static final int MAX_EXPIRY_HOURS = 720;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    /** A freshly issued token: the only moment its secret exists outside the admin's hands. */
    public record Issued(JoinToken token, String secret) {
    }

    /** Who asked for a token, for the audit trail: a request's caller, or the platform itself (actor null). */
    public record Issuer(String name, boolean fromRequest) {
    }

    @Transactional
    public Issued create(String description, int expiresInHours, Integer maxUses, Issuer issuer) {
        String secret = Secrets.generate(Secrets.JOIN_TOKEN_PREFIX);
        JoinToken token = new JoinToken();
        token.id = UUID.randomUUID();
        token.tokenHash = Secrets.sha256(secret);
        token.description = description;
        token.createdBy = issuer.name();
        token.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        token.expiresAt = token.createdAt.plusHours(expiresInHours);
        token.maxUses = maxUses;
        token.persist();
        Map<String, Object> details = new HashMap<>();
        details.put("description", description);
        details.put("expiresAt", token.expiresAt.toString());
        details.put("maxUses", maxUses);
        if (issuer.fromRequest()) {
            audit.record(null, "join-token.create", token.id.toString(), details);
        } else {
            audit.recordAs(null, null, null, null, "join-token.create", token.id.toString(), details);
        }
        return new Issued(token, secret);
    }

    @Transactional
    public List<JoinToken> list() {
        return JoinToken.list("order by createdAt desc");
    }

    /** Revokes a token: joins with it fail from now on; workers that already joined are not affected. */
    @Transactional
    public void revoke(UUID id) {
        JoinToken token = JoinToken.<JoinToken>findByIdOptional(id)
                .orElseThrow(() -> ApiException.notFound("JOIN_TOKEN_NOT_FOUND", "no join token " + id));
        if (token.revokedAt == null) {
            token.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
            audit.record(null, "join-token.revoke", id.toString(), Map.of());
        }
    }

    /**
     * Takes one use of the token in the caller's transaction and returns its id, or empty if it is unknown,
     * expired, used up or revoked. One conditional UPDATE: concurrent joins on the last use serialise on the row
     * lock and the losers re-check the condition against the winner's row, so exactly one of them gets it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UUID> consume(String secret) {
        if (secret == null || !secret.startsWith(Secrets.JOIN_TOKEN_PREFIX)) {
            return Optional.empty();
        }
        List<?> ids = em.createNativeQuery("""
                UPDATE join_tokens SET uses = uses + 1
                WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > now()
                  AND (max_uses IS NULL OR uses < max_uses)
                RETURNING id""").setParameter(1, Secrets.sha256(secret)).getResultList();
        return ids.stream().findFirst().map(id -> (UUID) id);
    }
}
