package dev.slipway.api.workers;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
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
import java.util.UUID;

/** Platform admins issue, list and revoke the join tokens new workers present once. */
@Path("/api/v1/admin/join-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JoinTokenResource {

    public static final int DEFAULT_EXPIRY_HOURS = 24;
    static final int MAX_DESCRIPTION = 200;

    @Inject
    JoinTokenService tokens;

    @Inject
    CurrentCaller caller;

    public record CreateJoinToken(String description, Integer expiresInHours, Integer maxUses) {
    }

    public record CreatedJoinToken(UUID id, String token, String description, OffsetDateTime expiresAt,
            Integer maxUses) {
    }

    public record JoinTokenView(UUID id, String description, String createdBy, OffsetDateTime createdAt,
            OffsetDateTime expiresAt, Integer maxUses, int uses, OffsetDateTime revokedAt, boolean active) {

        static JoinTokenView of(JoinToken t) {
            return new JoinTokenView(t.id, t.description, t.createdBy, t.createdAt, t.expiresAt, t.maxUses, t.uses,
                    t.revokedAt, t.usableAt(OffsetDateTime.now()));
        }
    }

    @POST
    public Response create(CreateJoinToken body) {
        PlatformAdmins.require(caller, "create join tokens");
        CreateJoinToken b = body == null ? new CreateJoinToken(null, null, null) : body;
        String description = b.description() == null ? null : b.description().strip();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ApiException.invalidField("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        int hours = b.expiresInHours() == null ? DEFAULT_EXPIRY_HOURS : b.expiresInHours();
        if (hours < JoinTokenService.MIN_EXPIRY_HOURS || hours > JoinTokenService.MAX_EXPIRY_HOURS) {
            throw ApiException.invalidField("expiresInHours", "must be between " + JoinTokenService.MIN_EXPIRY_HOURS
                    + " and " + JoinTokenService.MAX_EXPIRY_HOURS);
        }
        if (b.maxUses() != null && b.maxUses() < 1) {
            throw ApiException.invalidField("maxUses", "must be at least 1, or left out for unlimited uses");
        }
        JoinTokenService.Issued issued = tokens.create(description == null || description.isEmpty() ? null
                : description, hours, b.maxUses(), new JoinTokenService.Issuer(caller.username(), true));
        JoinToken t = issued.token();
        return Response.created(URI.create("/api/v1/admin/join-tokens/" + t.id))
                .entity(new CreatedJoinToken(t.id, issued.secret(), t.description, t.expiresAt, t.maxUses))
                .build();
    }

    @GET
    public List<JoinTokenView> list() {
        PlatformAdmins.require(caller, "list join tokens");
        return tokens.list().stream().map(JoinTokenView::of).toList();
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        PlatformAdmins.require(caller, "revoke join tokens");
        tokens.revoke(parseId(id, "JOIN_TOKEN_NOT_FOUND", "join token"));
        return Response.noContent().build();
    }

    static UUID parseId(String id, String code, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(code, "no " + what + " " + id);
        }
    }
}
