package dev.slipway.api.identity;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

/** Members of one tenant and their roles. */
@Path("/api/v1/tenants/{tenant}/members")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemberResource {

    @Inject
    MemberAdministration members;

    public record AddMember(String username, String role) {
    }

    public record ChangeRole(String role) {
    }

    public record MemberView(String username, Role role, OffsetDateTime since) {

        static MemberView of(Membership m) {
            return new MemberView(m.user.username, m.role, m.createdAt);
        }
    }

    @GET
    public List<MemberView> list(@PathParam("tenant") String tenant) {
        return members.list(tenant).stream().map(MemberView::of).toList();
    }

    @POST
    public Response add(@PathParam("tenant") String tenant, AddMember body) {
        RequestBodies.present(body);
        String username = RequestBodies.required("username", body.username());
        Role role = Role.fromWire("role", body.role());
        MemberView view = MemberView.of(members.add(tenant, username, role));
        return Response.created(URI.create("/api/v1/tenants/" + tenant + "/members/" + username)).entity(view).build();
    }

    @PUT
    @Path("/{username}")
    public MemberView changeRole(@PathParam("tenant") String tenant, @PathParam("username") String username,
            ChangeRole body) {
        RequestBodies.present(body);
        return MemberView.of(members.changeRole(tenant, username, Role.fromWire("role", body.role())));
    }

    @DELETE
    @Path("/{username}")
    public Response remove(@PathParam("tenant") String tenant, @PathParam("username") String username) {
        members.remove(tenant, username);
        return Response.noContent().build();
    }
}
