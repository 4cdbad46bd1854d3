package dev.slipway.api.registry.browse;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.TenantAccess;
import dev.slipway.api.registry.RegistryChanges;
import dev.slipway.api.registry.RegistryMetadata;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** A tenant's repositories for the dashboard: list, details with tags, visibility, tag deletion. */
@Path("/api/v1/tenants/{tenant}/repositories")
@Produces(MediaType.APPLICATION_JSON)
public class TenantRepositoryResource {

    @Inject
    CurrentCaller caller;
    @Inject
    TenantAccess access;
    @Inject
    RegistryMetadata metadata;
    @Inject
    RegistryBrowser browser;
    @Inject
    RegistryChanges changes;
    @Context
    HttpServerRequest http;

    @GET
    public List<RepositoryDetails.Summary> list(@PathParam("tenant") String tenant) {
        access.require(tenant, Role.VIEWER, Scope.READ);
        return browser.ofTenant(tenant);
    }

    @GET
    @Path("{name: .+}")
    public RepositoryDetails.Detail detail(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        access.require(tenant, Role.VIEWER, Scope.READ);
        return browser.detail(repository(tenant, name));
    }

    @PUT
    @Path("{name: .+}/visibility")
    public RepositoryDetails.Summary setVisibility(@PathParam("tenant") String tenant,
            @PathParam("name") String name, RepositoryDetails.Visibility body) {
        access.require(tenant, Role.ADMIN, Scope.WRITE);
        if (body == null || body.visibility() == null
                || !(body.visibility().equals("public") || body.visibility().equals("private"))) {
            throw ApiException.invalidField("visibility", "visibility must be 'public' or 'private'");
        }
        RegistryMetadata.Repository repo = repository(tenant, name);
        changes.setVisibility(repo, body.visibility().equals("public"), actor());
        return browser.summary(repository(tenant, name));
    }

    @DELETE
    @Path("{name: .+}/tags/{tag}")
    public void deleteTag(@PathParam("tenant") String tenant, @PathParam("name") String name,
            @PathParam("tag") String tag) {
        access.require(tenant, Role.DEVELOPER, Scope.WRITE);
        if (!changes.deleteTag(repository(tenant, name), tag, actor())) {
            throw ApiException.notFound("TAG_NOT_FOUND", "no tag '" + tag + "' in " + tenant + "/" + name);
        }
    }

    private RegistryMetadata.Repository repository(String tenant, String name) {
        return metadata.repository(tenant + "/" + name).orElseThrow(() -> ApiException.notFound(
                "REPOSITORY_NOT_FOUND", "no repository '" + tenant + "/" + name + "'"));
    }

    private RegistryChanges.Actor actor() {
        String ip = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return new RegistryChanges.Actor(caller.userId(), caller.tokenId().orElse(null), caller.username(), ip);
    }
}
