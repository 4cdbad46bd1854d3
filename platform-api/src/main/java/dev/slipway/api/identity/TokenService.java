package dev.slipway.api.identity;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues, lists, revokes and verifies personal access tokens.
 *
 * <p>A secret is {@code slp_} followed by 32 random bytes (256 bits) in base64url. Only its SHA-256 is stored. A
 * slow password hash (bcrypt, argon2) protects low-entropy human passwords against guessing; a 256-bit random
 * secret cannot be guessed, so a plain SHA-256 is as safe here and, unlike a salted slow hash, lets
 * {@link #verify} find the token with one indexed lookup on every request.
 */
@ApplicationScoped
public class TokenService {

    public static final String PREFIX = "slp_";
    public static final int MAX_EXPIRY_DAYS = 366;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AuditLog audit;

    /** A freshly issued token: the only moment its secret exists outside the caller's hands. */
    public record Issued(PersonalAccessToken token, String secret) {
    }

    @Transactional
    public Issued create(UUID userId, String name, Set<Scope> scopes, int expiresInDays) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        PersonalAccessToken token = new PersonalAccessToken();
        token.id = UUID.randomUUID();
        token.user = User.findById(userId);
        token.name = name;
        token.secretHash = hash(secret);
        token.displayHint = secret.substring(0, PREFIX.length() + 4);
        token.scopeSet(scopes);
        token.createdAt = OffsetDateTime.now();
        token.expiresAt = token.createdAt.plusDays(expiresInDays);
        token.persist();
        audit.record(null, "token.create", token.id.toString(),
                Map.of("name", name, "scopes", token.scopes, "expiresAt", token.expiresAt.toString()));
        return new Issued(token, secret);
    }

    @Transactional
    public List<PersonalAccessToken> listOf(UUID userId) {
        return PersonalAccessToken.list("user.id = ?1 order by createdAt desc", userId);
    }

    /** Revokes one of the user's own tokens; it stops working with the next request. */
    @Transactional
    public void revoke(UUID userId, UUID tokenId) {
        PersonalAccessToken token = PersonalAccessToken.<PersonalAccessToken>find("id = ?1 and user.id = ?2",
                tokenId, userId).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("TOKEN_NOT_FOUND", "no token " + tokenId));
        if (token.revokedAt == null) {
            token.revokedAt = OffsetDateTime.now();
            audit.record(null, "token.revoke", token.id.toString(), Map.of("name", token.name));
        }
    }

    /** The principal of a PAT secret that exists, has not expired and has not been revoked. */
    @Transactional
    public Optional<TokenPrincipal> verify(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return PersonalAccessToken.<PersonalAccessToken>find("secretHash", hash(secret)).firstResultOptional()
                .filter(t -> t.usableAt(OffsetDateTime.now()))
                .map(t -> new TokenPrincipal(t.user.id, t.user.username, t.id, t.scopeSet()));
    }

    /** Like {@link #verify}, and the token must belong to {@code username} (HTTP basic auth, docker login). */
    @Transactional
    public Optional<TokenPrincipal> verifyBasic(String username, String secret) {
        return verify(secret).filter(p -> p.username().equals(username));
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
