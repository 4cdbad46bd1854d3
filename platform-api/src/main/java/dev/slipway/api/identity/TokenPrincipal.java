package dev.slipway.api.identity;

import java.util.Set;
import java.util.UUID;

/** Who a verified personal access token speaks for, and what it may do. */
public record TokenPrincipal(UUID userId, String username, UUID tokenId, Set<Scope> scopes) {

    public TokenPrincipal {
        scopes = Set.copyOf(scopes);
    }
}
