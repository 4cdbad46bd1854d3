package dev.slipway.api.registry.auth;

import dev.slipway.api.identity.TokenPrincipal;
import dev.slipway.api.identity.TokenService;
import dev.slipway.api.registry.RegistryConfig;
import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Authenticates a {@code /v2/} request from its {@code Authorization} header: a registry bearer token (the Docker
 * token flow), HTTP basic with username and personal access token (podman, skopeo and curl may send it directly),
 * or nothing. A request lacking an action gets 401 with the challenge that tells the client where to get a token.
 */
@ApplicationScoped
public class RegistryAuthenticator {

    /** An authenticated caller: either a bearer grant, or an identity whose rights are looked up per request. */
    public record Caller(RegistryTokens.Grant grant, RegistryIdentity identity) {

        public boolean anonymous() {
            return grant == null && identity.anonymous();
        }
    }

    @Inject
    TokenService tokens;

    @Inject
    RegistryTokens registryTokens;

    @Inject
    RepositoryPermissions permissions;

    @Inject
    RegistryConfig config;

    public Caller authenticate(String authorization, String host) {
        if (authorization == null || authorization.isBlank()) {
            return new Caller(null, RegistryIdentity.ANONYMOUS);
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return registryTokens.verify(authorization.substring(7).trim(), Instant.now())
                    .map(g -> new Caller(g, RegistryIdentity.ANONYMOUS))
                    .orElseThrow(() -> challenge(host, null, "invalid or expired registry token"));
        }
        return new Caller(null, basic(authorization).orElseThrow(
                () -> challenge(host, null, "invalid username or personal access token")));
    }

    /** The identity behind HTTP basic credentials, or empty if they are malformed or wrong. */
    public Optional<RegistryIdentity> basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        Optional<TokenPrincipal> p = tokens.verifyBasic(decoded.substring(0, colon), decoded.substring(colon + 1));
        return p.map(t -> new RegistryIdentity(t.userId(), t.username(), t.tokenId(), t.scopes()));
    }

    public Set<Action> actions(Caller caller, String repository) {
        if (caller.grant() != null) {
            return caller.grant().actionsOn(repository);
        }
        return permissions.granted(caller.identity(), repository);
    }

    /** Throws 401 with a challenge unless the caller may do {@code action} to {@code repository}. */
    public void require(Caller caller, String repository, Action action, String host) {
        if (!actions(caller, repository).contains(action)) {
            String scope = "repository:" + repository + ":" + (action == Action.PULL ? "pull" : "pull,push");
            throw challenge(host, scope, "authentication required for " + action.wire() + " on " + repository);
        }
    }

    public RegistryException challenge(String host, String scope, String message) {
        String header = "Bearer realm=\"http://" + host + "/v2/token\",service=\"" + config.service() + "\""
                + (scope == null ? "" : ",scope=\"" + scope + "\"");
        return new RegistryException(RegistryError.UNAUTHORIZED, 401, message, Map.of(),
                Map.of("WWW-Authenticate", header));
    }

    /** The username pushing, for "pushed by" and audit; null for anonymous. */
    public static String username(Caller caller) {
        return caller.grant() != null ? caller.grant().subject() : caller.identity().username();
    }

    public static String describe(Set<Action> actions) {
        return actions.stream().map(Action::wire).collect(Collectors.joining(","));
    }
}
