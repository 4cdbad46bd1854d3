package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Scope;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Publishing plans: platform admins only. */
@Path("/api/v1/admin/plans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlanAdminResource {

    @Inject
    CurrentCaller caller;

    @Inject
    BillingAdministration administration;

    @POST
    public Response publish(PlanDocument body) {
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("only platform admins can publish plans");
        }
        caller.requireScope(Scope.ADMIN);
        if (body == null) {
            throw ApiException.invalidField("body", "a plan document is required");
        }
        var plan = body.toPlan();
        administration.publish(plan);
        return Response.status(201).entity(PlanDocument.of(plan)).build();
    }
}
