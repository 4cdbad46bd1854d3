package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.RegistryChanges;
import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.RepositoryCache;
import dev.slipway.api.registry.auth.Action;
import dev.slipway.api.registry.auth.RegistryAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Authorises a request against its repository and finds it; shared by every repository-scoped handler. */
@ApplicationScoped
public class RepositoryLookup {

    @Inject
    RegistryAuthenticator auth;

    @Inject
    RepositoryCache repositories;

    /** The repository, after checking {@code action}; NAME_UNKNOWN only for callers allowed to know. */
    public RegistryMetadata.Repository require(RegistryRequest request, Action action) {
        auth.require(request.caller(), request.repository(), action, request.host());
        return repositories.find(request.repository()).orElseThrow(() -> new RegistryException(
                RegistryError.NAME_UNKNOWN, "repository " + request.repository() + " is not known"));
    }

    public void authorize(RegistryRequest request, Action action) {
        auth.require(request.caller(), request.repository(), action, request.host());
    }

    public static RegistryChanges.Actor actor(RegistryRequest request) {
        var caller = request.caller();
        if (caller.grant() != null) {
            return new RegistryChanges.Actor(caller.grant().userId(), null, caller.grant().subject(),
                    request.sourceIp());
        }
        var id = caller.identity();
        return new RegistryChanges.Actor(id.userId(), id.tokenId(), id.username(), request.sourceIp());
    }

    public static String location(RegistryRequest request, String path) {
        return "/v2/" + request.repository() + path;
    }
}
