package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.RegistryConfig;
import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import dev.slipway.api.registry.auth.Action;
import dev.slipway.api.registry.auth.RegistryAuthenticator;
import dev.slipway.api.registry.auth.RegistryIdentity;
import dev.slipway.api.registry.auth.RegistryTokens;
import dev.slipway.api.registry.auth.RepositoryNames;
import dev.slipway.api.registry.auth.RepositoryPermissions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v2/token?service=...&scope=repository:<name>:pull,push}: Docker's token endpoint. Takes HTTP basic
 * (username and personal access token) or nothing, and signs a short-lived token holding, per requested
 * repository, only the actions the caller is actually allowed. Asking for more is not an error; the token just
 * lacks it, and the registry then answers 401.
 */
@ApplicationScoped
public class TokenHandler {

    @Inject
    RegistryAuthenticator auth;

    @Inject
    RepositoryPermissions permissions;

    @Inject
    RegistryTokens tokens;

    @Inject
    RegistryConfig config;

    public Response issue(String authorization, MultivaluedMap<String, String> query, String host) {
        RegistryIdentity who = RegistryIdentity.ANONYMOUS;
        if (authorization != null && !authorization.isBlank()) {
            who = auth.basic(authorization).orElseThrow(() -> new RegistryException(RegistryError.UNAUTHORIZED,
                    "invalid username or personal access token"));
        }
        Map<String, Set<Action>> access = new LinkedHashMap<>();
        for (String scope : query.getOrDefault("scope", List.of())) {
            for (String one : scope.split(" ")) {
                String[] parts = one.split(":");
                if (parts.length != 3 || !parts[0].equals("repository") || !RepositoryNames.valid(parts[1])) {
                    continue;
                }
                Set<Action> wanted = EnumSet.noneOf(Action.class);
                for (String a : parts[2].split(",")) {
                    if (a.equals("*")) {
                        wanted.addAll(EnumSet.allOf(Action.class));
                    }
                    Action.fromWire(a).ifPresent(wanted::add);
                }
                wanted.retainAll(permissions.granted(who, parts[1]));
                access.merge(parts[1], wanted, (x, y) -> {
                    Set<Action> u = EnumSet.noneOf(Action.class);
                    u.addAll(x);
                    u.addAll(y);
                    return u;
                });
            }
        }
        Instant now = Instant.now();
        String token = tokens.issue(who, access, now);
        Map<String, Object> body = Map.of("token", token, "access_token", token,
                "expires_in", config.tokenLifetime().toSeconds(), "issued_at", now.toString());
        return Responses.status(200).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
