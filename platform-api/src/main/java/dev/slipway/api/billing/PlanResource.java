package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.TenantAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;

/** Plans: anyone signed in may read them, platform admins publish them, a tenant's owner picks one. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlanResource {

    /** Body of {@code PUT /tenants/{t}/plan}. */
    public record PlanChoice(String plan) {
    }

    /** The tenant's plan now and its history (the implicit start on 'free' included). */
    public record TenantPlan(String tenant, String plan, List<Assignment> history) {
    }

    public record Assignment(String plan, Instant effectiveFrom) {
    }

    @Inject
    CurrentCaller caller;

    @Inject
    TenantAccess access;

    @Inject
    PlanCatalog catalog;

    @Inject
    PlanHistory history;

    @Inject
    BillingAdministration administration;

    @GET
    @Path("/plans")
    public List<PlanDocument> plans() {
        caller.requireScope(Scope.READ);
        return catalog.all().stream().map(PlanDocument::of).toList();
    }

    @POST
    @Path("/admin/plans")
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

    @GET
    @Path("/tenants/{tenant}/plan")
    public TenantPlan plan(@PathParam("tenant") String tenant) {
        access.require(tenant, Role.ADMIN, Scope.READ);
        return view(tenant);
    }

    @PUT
    @Path("/tenants/{tenant}/plan")
    public TenantPlan change(@PathParam("tenant") String tenant, PlanChoice body) {
        access.require(tenant, Role.OWNER, Scope.WRITE);
        if (body == null || body.plan() == null || body.plan().isBlank()) {
            throw ApiException.invalidField("plan", "is required");
        }
        administration.changePlan(tenant, body.plan(), Instant.now());
        return view(tenant);
    }

    private TenantPlan view(String tenant) {
        var assignments = history.of(tenant);
        return new TenantPlan(tenant, history.current(tenant, Instant.now()).id(),
                assignments.stream().map(a -> new Assignment(a.plan().id(), a.effectiveFrom())).toList());
    }
}
