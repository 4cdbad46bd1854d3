package dev.slipway.api.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What the dashboard needs before anyone signs in: where Keycloak is, and the hosts it shows to users. */
@Path("/api/v1/ui-config")
@Produces(MediaType.APPLICATION_JSON)
public class UiConfigResource {

    public static final String UI_CLIENT_ID = "slipway-ui";

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String authority;

    @ConfigProperty(name = "slipway.registry-host")
    String registryHost;

    @ConfigProperty(name = "slipway.apps-domain")
    String appsDomain;

    public record Oidc(String authority, String clientId) {
    }

    public record UiConfig(Oidc oidc, String registryHost, String appsDomain) {
    }

    @GET
    public UiConfig get() {
        return new UiConfig(new Oidc(authority, UI_CLIENT_ID), registryHost, appsDomain);
    }
}
