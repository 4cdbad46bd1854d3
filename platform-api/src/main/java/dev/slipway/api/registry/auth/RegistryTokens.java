package dev.slipway.api.registry.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.registry.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Registry bearer tokens: JWTs (HS256) holding the subject and exactly the granted repository actions, in the
 * {@code access} claim layout of Docker's token specification. They are short-lived, so a changed membership or a
 * revoked PAT stops working within {@code slipway.registry.token-lifetime}.
 */
@ApplicationScoped
public class RegistryTokens {

    /** What a verified token allows. */
    public record Grant(String subject, UUID userId, Map<String, Set<Action>> access) {

        public Set<Action> actionsOn(String repository) {
            return access.getOrDefault(repository, Set.of());
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    @Inject
    SigningKey key;

    @Inject
    RegistryConfig config;

    @Inject
    ObjectMapper json;

    public String issue(RegistryIdentity who, Map<String, Set<Action>> access, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "slipway");
        claims.put("sub", who.anonymous() ? "" : who.username());
        // The user id lets /v2/_catalog list the user's tenants; only for PATs allowed to use the registry at all.
        if (!who.anonymous() && (who.scopes().contains(dev.slipway.api.identity.Scope.REGISTRY_PULL)
                || who.scopes().contains(dev.slipway.api.identity.Scope.REGISTRY_PUSH))) {
            claims.put("uid", who.userId().toString());
        }
        claims.put("aud", config.service());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond() - 5);
        claims.put("exp", now.plus(config.tokenLifetime()).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        List<Map<String, Object>> entries = new ArrayList<>();
        access.forEach((repo, actions) -> entries.add(Map.of("type", "repository", "name", repo,
                "actions", actions.stream().map(Action::wire).toList())));
        claims.put("access", entries);
        try {
            String payload = B64.encodeToString(json.writeValueAsBytes(claims));
            String signingInput = HEADER + "." + payload;
            return signingInput + "." + B64.encodeToString(hmac(signingInput));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The grant of a well-signed, unexpired token for this service; empty for anything else. */
    public Optional<Grant> verify(String token, Instant now) {
        String[] parts = token.split("\\.");
        if (parts.length != 3 || !parts[0].equals(HEADER)) {
            return Optional.empty();
        }
        byte[] expected = hmac(parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> claims = json.readValue(Base64.getUrlDecoder().decode(parts[1]),
                    new TypeReference<Map<String, Object>>() { });
            long exp = ((Number) claims.get("exp")).longValue();
            if (now.getEpochSecond() >= exp || !config.service().equals(claims.get("aud"))) {
                return Optional.empty();
            }
            Map<String, Set<Action>> access = new LinkedHashMap<>();
            for (Object o : (List<?>) claims.getOrDefault("access", List.of())) {
                Map<?, ?> entry = (Map<?, ?>) o;
                Set<Action> actions = EnumSet.noneOf(Action.class);
                for (Object a : (List<?>) entry.get("actions")) {
                    Action.fromWire(String.valueOf(a)).ifPresent(actions::add);
                }
                access.put(String.valueOf(entry.get("name")), actions);
            }
            Object uid = claims.get("uid");
            return Optional.of(new Grant(String.valueOf(claims.get("sub")),
                    uid == null ? null : UUID.fromString(uid.toString()), access));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
