package dev.slipway.api.billing;

import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Scope;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * The plan catalogue: anyone signed in may read it, platform admins publish to it. Each resource class
 * carries its full path because JAX-RS picks the class with the longest matching path first, so a class on
 * {@code /api/v1} would lose {@code /api/v1/tenants/...} to the tenant resource.
 */
@Path("/api/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {

    @Inject
    CurrentCaller caller;

    @Inject
    PlanCatalog catalog;

    @GET
    public List<PlanDocument> plans() {
        caller.requireScope(Scope.READ);
        return catalog.all().stream().map(PlanDocument::of).toList();
    }
}
