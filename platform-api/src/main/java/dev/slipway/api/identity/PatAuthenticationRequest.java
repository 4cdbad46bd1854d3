package dev.slipway.api.identity;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A personal access token presented as a bearer token ({@code username} null) or as a basic-auth password. */
public class PatAuthenticationRequest extends BaseAuthenticationRequest {

    private final String username;
    private final String secret;

    public PatAuthenticationRequest(String username, String secret) {
        this.username = username;
        this.secret = secret;
    }

    public String username() {
        return username;
    }

    public String secret() {
        return secret;
    }
}
