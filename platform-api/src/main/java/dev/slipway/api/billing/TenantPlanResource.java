package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.TenantAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** A tenant's plan: owners and admins read it, owners change it (from now on, prorated). */
@Path("/api/v1/tenants/{tenant}/plan")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantPlanResource {

    /** Body of {@code PUT}. */
    public record PlanChoice(String plan) {
    }

    /** The tenant's plan now and its history (the implicit start on 'free' included). */
    public record TenantPlan(String tenant, String plan, List<Assignment> history) {
    }

    public record Assignment(String plan, Instant effectiveFrom) {
    }

    @Inject
    TenantAccess access;

    @Inject
    PlanHistory history;

    @Inject
    BillingAdministration administration;

    @GET
    public TenantPlan plan(@PathParam("tenant") String tenant) {
        access.require(tenant, Role.ADMIN, Scope.READ);
        return view(tenant);
    }

    @PUT
    public TenantPlan change(@PathParam("tenant") String tenant, PlanChoice body) {
        access.require(tenant, Role.OWNER, Scope.WRITE);
        if (body == null || body.plan() == null || body.plan().isBlank()) {
            throw ApiException.invalidField("plan", "is required");
        }
        administration.changePlan(tenant, body.plan(), Instant.now());
        return view(tenant);
    }

    private TenantPlan view(String tenant) {
        Instant now = Instant.now();
        return new TenantPlan(tenant, history.current(tenant, now).id(),
                history.of(tenant).stream().map(a -> new Assignment(a.plan().id(), a.effectiveFrom())).toList());
    }
}
