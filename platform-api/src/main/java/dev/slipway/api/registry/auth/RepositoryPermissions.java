package dev.slipway.api.registry.auth;

import dev.slipway.api.identity.MembershipService;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.registry.RepositoryCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one place that decides what an identity may do to a repository named {@code <tenant>/<name>...}:
 * members (any role) pull, developers and above push and delete, anyone pulls a public repository. A personal access
 * token further limits this to its scopes ({@code registry:pull}, {@code registry:push}). The answer never depends on
 * whether a private repository exists, so an outsider learns nothing from it.
 */
@ApplicationScoped
public class RepositoryPermissions {

    @Inject
    MembershipService memberships;

    @Inject
    RepositoryCache repositories;

    public Set<Action> granted(RegistryIdentity who, String repository) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        String tenant = RepositoryNames.tenantOf(repository);
        if (!who.anonymous()) {
            Role role = memberships.roleOf(who.userId(), tenant).orElse(null);
            if (role != null) {
                boolean canPush = who.scopes().contains(Scope.REGISTRY_PUSH);
                if (canPush || who.scopes().contains(Scope.REGISTRY_PULL)) {
                    actions.add(Action.PULL);
                }
                if (canPush && role.atLeast(Role.DEVELOPER)) {
                    actions.add(Action.PUSH);
                    actions.add(Action.DELETE);
                }
            }
        }
        if (!actions.contains(Action.PULL) && repositories.find(repository).map(r -> r.isPublic()).orElse(false)) {
            actions.add(Action.PULL);
        }
        return actions;
    }

    /** Tenants whose private repositories the identity may list (its memberships, if its token may pull). */
    public Set<String> readableTenants(RegistryIdentity who) {
        if (who.anonymous() || !(who.scopes().contains(Scope.REGISTRY_PULL)
                || who.scopes().contains(Scope.REGISTRY_PUSH))) {
            return Set.of();
        }
        return memberships.tenantsOf(who.userId()).keySet();
    }
}
