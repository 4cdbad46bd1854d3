package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.auth.RegistryAuthenticator;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * One routed {@code /v2/} request: the repository it names (null for base, catalog and token), the authenticated
 * caller, the Host the client used (challenges and Location headers point back to it), headers and query.
 */
public record RegistryRequest(String repository, RegistryAuthenticator.Caller caller, String host, String sourceIp,
        HttpHeaders headers, MultivaluedMap<String, String> query) {

    public String header(String name) {
        return headers.getHeaderString(name);
    }

    public String param(String name) {
        return query.getFirst(name);
    }
}
