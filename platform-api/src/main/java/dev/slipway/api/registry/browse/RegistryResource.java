package dev.slipway.api.registry.browse;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.MembershipService;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.TenantAccess;
import dev.slipway.api.registry.GarbageCollector;
import dev.slipway.api.registry.RegistryChanges;
import dev.slipway.api.registry.RegistryConfig;
import dev.slipway.api.registry.RegistryMetadata;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/**
 * The registry's REST API for the dashboard and scripts: search, repositories of a tenant with their tags,
 * visibility, tag deletion, storage usage, and a garbage-collection trigger for platform admins.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryResource {

    @Inject
    CurrentCaller caller;
    @Inject
    TenantAccess access;
    @Inject
    MembershipService memberships;
    @Inject
    RegistryMetadata metadata;
    @Inject
    RegistryBrowser browser;
    @Inject
    RegistryChanges changes;
    @Inject
    RegistryConfig config;
    @Inject
    GarbageCollector gc;
    @Context
    HttpServerRequest http;

    /** Public repositories and the caller's tenants' private ones whose name contains {@code q}. */
    @GET
    @Path("registry/search")
    public List<RepositoryDetails.Summary> search(@QueryParam("q") String q) {
        caller.requireScope(Scope.READ);
        Set<String> tenants = memberships.tenantsOf(caller.userId()).keySet();
        return browser.search(tenants, q, 100);
    }

    @GET
    @Path("tenants/{tenant}/repositories")
    public List<RepositoryDetails.Summary> list(@PathParam("tenant") String tenant) {
        access.require(tenant, Role.VIEWER, Scope.READ);
        return browser.ofTenant(tenant);
    }

    @GET
    @Path("tenants/{tenant}/repositories/{name: .+}")
    public RepositoryDetails.Detail detail(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        access.require(tenant, Role.VIEWER, Scope.READ);
        return browser.detail(repository(tenant, name));
    }

    @PUT
    @Path("tenants/{tenant}/repositories/{name: .+}/visibility")
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
    @Path("tenants/{tenant}/repositories/{name: .+}/tags/{tag}")
    public void deleteTag(@PathParam("tenant") String tenant, @PathParam("name") String name,
            @PathParam("tag") String tag) {
        access.require(tenant, Role.DEVELOPER, Scope.WRITE);
        if (!changes.deleteTag(repository(tenant, name), tag, actor())) {
            throw ApiException.notFound("TAG_NOT_FOUND", "no tag '" + tag + "' in " + tenant + "/" + name);
        }
    }

    @GET
    @Path("tenants/{tenant}/registry/usage")
    public RepositoryDetails.Usage usage(@PathParam("tenant") String tenant) {
        access.require(tenant, Role.VIEWER, Scope.READ);
        return new RepositoryDetails.Usage(tenant, metadata.tenantUsage(tenant),
                metadata.quotaOf(tenant).orElse(config.defaultQuotaBytes()));
    }

    /** Runs garbage collection now (platform admins); returns what was collected. */
    @POST
    @Path("registry/gc")
    public GarbageCollector.Result collect() {
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("garbage collection needs the platform-admin role");
        }
        return gc.collect();
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
