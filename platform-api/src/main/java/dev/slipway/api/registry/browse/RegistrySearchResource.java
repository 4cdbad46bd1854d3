package dev.slipway.api.registry.browse;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.MembershipService;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.registry.GarbageCollector;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/** Registry-wide REST endpoints: search over the repositories the caller may see, and the garbage-collection
 * trigger for platform admins. */
@Path("/api/v1/registry")
@Produces(MediaType.APPLICATION_JSON)
public class RegistrySearchResource {

    @Inject
    CurrentCaller caller;
    @Inject
    MembershipService memberships;
    @Inject
    RegistryBrowser browser;
    @Inject
    GarbageCollector gc;

    /** Public repositories and the caller's tenants' private ones whose name contains {@code q}. */
    @GET
    @Path("search")
    public List<RepositoryDetails.Summary> search(@QueryParam("q") String q) {
        caller.requireScope(Scope.READ);
        Set<String> tenants = memberships.tenantsOf(caller.userId()).keySet();
        return browser.search(tenants, q, 100);
    }

    /** Runs garbage collection now (platform admins); returns what was collected. */
    @POST
    @Path("gc")
    public GarbageCollector.Result collect() {
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("garbage collection needs the platform-admin role");
        }
        return gc.collect();
    }
}
