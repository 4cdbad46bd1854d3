package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.auth.RegistryAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /v2/}: the API version check. Anonymous callers get 401 with the token challenge, which is how docker
 * and podman discover where to log in; authenticated callers get 200.
 */
@ApplicationScoped
public class BaseHandler {

    @Inject
    RegistryAuthenticator auth;

    public Response check(RegistryRequest request) {
        if (request.caller().anonymous()) {
            throw auth.challenge(request.host(), null, "authentication required");
        }
        return Responses.status(200).type(MediaType.APPLICATION_JSON_TYPE).entity("{}").build();
    }
}
