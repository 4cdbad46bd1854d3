package dev.slipway.api.identity;

import dev.slipway.api.error.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authenticated caller of the current request: a Keycloak session (bearer JWT, all scopes) or a personal
 * access token (its scopes). Resolved lazily at first use; an anonymous caller gets 401 from every method.
 * A Keycloak user's row is created or refreshed here, which is what "created on first sign-in" means.
 */
@RequestScoped
public class CurrentCaller {

    public static final String PLATFORM_ADMIN_ROLE = "platform-admin";

    @Inject
    SecurityIdentity identity;

    @Inject
    UserDirectory users;

    private Resolved resolved;

    private record Resolved(UUID userId, String username, Optional<UUID> tokenId, Set<Scope> scopes) {
    }

    public UUID userId() {
        return resolve().userId();
    }

    public String username() {
        return resolve().username();
    }

    /** The token in use, or empty for a Keycloak session. */
    public Optional<UUID> tokenId() {
        return resolve().tokenId();
    }

    public Set<Scope> scopes() {
        return resolve().scopes();
    }

    /** Realm role platform-admin; a token carries it only if it also has the {@code admin} scope. */
    public boolean isPlatformAdmin() {
        resolve();
        return identity.hasRole(PLATFORM_ADMIN_ROLE);
    }

    /** 403 FORBIDDEN unless the caller's credential carries {@code scope}. */
    public void requireScope(Scope scope) {
        if (!scopes().contains(scope)) {
            throw ApiException.forbidden("this token lacks the scope '" + scope.wire() + "'");
        }
    }

    private Resolved resolve() {
        if (resolved == null) {
            if (identity == null || identity.isAnonymous()) {
                throw ApiException.unauthorized("sign in or send a personal access token");
            }
            TokenPrincipal token = identity.getAttribute(PatIdentityProvider.TOKEN_ATTRIBUTE);
            if (token != null) {
                resolved = new Resolved(token.userId(), token.username(), Optional.of(token.tokenId()), token.scopes());
            } else if (identity.getPrincipal() instanceof JsonWebToken jwt) {
                String username = Optional.ofNullable(jwt.<String>getClaim("preferred_username")).orElse(jwt.getName());
                UUID id = users.signIn(jwt.getSubject(), username, jwt.getClaim("email"),
                        identity.hasRole(PLATFORM_ADMIN_ROLE));
                resolved = new Resolved(id, username, Optional.empty(), EnumSet.allOf(Scope.class));
            } else {
                throw ApiException.unauthorized("unsupported credential");
            }
        }
        return resolved;
    }
}
