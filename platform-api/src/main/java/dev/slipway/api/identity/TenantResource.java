package dev.slipway.api.identity;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

/** Tenants the caller belongs to. */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantResource {

    @Inject
    TenantService tenants;

    @Inject
    TenantAccess access;

    @Inject
    MembershipService memberships;

    @Inject
    CurrentCaller caller;

    public record CreateTenant(String name) {
    }

    public record TenantView(String name, Role role, OffsetDateTime createdAt) {
    }

    @POST
    public Response create(CreateTenant body) {
        RequestBodies.present(body);
        Tenant tenant = tenants.create(body.name());
        return Response.created(URI.create("/api/v1/tenants/" + tenant.name))
                .entity(new TenantView(tenant.name, Role.OWNER, tenant.createdAt)).build();
    }

    @GET
    public List<TenantView> mine() {
        caller.requireScope(Scope.READ);
        return memberships.membershipsOf(caller.userId()).stream().map(m -> view(m.tenant, m.role)).toList();
    }

    @GET
    @Path("/{tenant}")
    public TenantView get(@PathParam("tenant") String name) {
        Tenant tenant = access.require(name, Role.VIEWER, Scope.READ);
        return view(tenant, memberships.roleOf(caller.userId(), name).orElseThrow());
    }

    @DELETE
    @Path("/{tenant}")
    public Response delete(@PathParam("tenant") String name) {
        tenants.delete(access.require(name, Role.OWNER, Scope.ADMIN));
        return Response.noContent().build();
    }

    private static TenantView view(Tenant tenant, Role role) {
        return new TenantView(tenant.name, role, tenant.createdAt);
    }
}
