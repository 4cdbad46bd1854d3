package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.auth.RegistryIdentity;
import dev.slipway.api.registry.auth.RepositoryPermissions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v2/_catalog?n=&last=}: the repositories the caller may pull (public ones and its tenants' private
 * ones), paged like tags.
 */
@ApplicationScoped
public class CatalogHandler {

    @Inject
    RegistryMetadata metadata;

    @Inject
    RepositoryPermissions permissions;

    public Response list(RegistryRequest request) {
        Set<String> tenants = permissions.readableTenants(identity(request));
        int n = Paging.limit(request);
        var repos = metadata.visibleRepositories(tenants, null, request.param("last"), n);
        var names = repos.stream().map(RegistryMetadata.Repository::name).toList();
        Response.ResponseBuilder r = Responses.status(200).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("repositories", names));
        if (n > 0 && names.size() == n) {
            r.header("Link", Paging.next("/v2/_catalog", n, names.get(names.size() - 1)));
        }
        return r.build();
    }

    private static RegistryIdentity identity(RegistryRequest request) {
        var caller = request.caller();
        if (caller.grant() != null) {
            // A bearer token carries the user only when its PAT may use the registry (see RegistryTokens).
            return caller.grant().userId() == null ? RegistryIdentity.ANONYMOUS
                    : new RegistryIdentity(caller.grant().userId(), caller.grant().subject(), null,
                            Set.of(dev.slipway.api.identity.Scope.REGISTRY_PULL));
        }
        return caller.identity();
    }
}
