package dev.slipway.api.registry.auth;

import dev.slipway.api.identity.Scope;
import java.util.Set;
import java.util.UUID;

/** Who calls the registry: a user through a personal access token, or nobody (anonymous). */
public record RegistryIdentity(UUID userId, String username, UUID tokenId, Set<Scope> scopes) {

    public static final RegistryIdentity ANONYMOUS = new RegistryIdentity(null, null, null, Set.of());

    public boolean anonymous() {
        return userId == null;
    }
}
