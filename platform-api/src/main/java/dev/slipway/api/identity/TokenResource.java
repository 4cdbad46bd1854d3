package dev.slipway.api.identity;

import dev.slipway.api.error.ApiException;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The caller's own personal access tokens. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TokenResource {

    public static final int DEFAULT_EXPIRY_DAYS = 30;

    @Inject
    TokenService tokens;

    @Inject
    CurrentCaller caller;

    public record CreateToken(String name, List<String> scopes, Integer expiresInDays) {
    }

    public record CreatedToken(UUID id, String name, String token, List<Scope> scopes, OffsetDateTime createdAt,
            OffsetDateTime expiresAt) {
    }

    public record TokenView(UUID id, String name, String hint, List<Scope> scopes, OffsetDateTime createdAt,
            OffsetDateTime expiresAt, OffsetDateTime revokedAt, boolean active) {

        static TokenView of(PersonalAccessToken t) {
            return new TokenView(t.id, t.name, t.displayHint + "...", List.copyOf(t.scopeSet()), t.createdAt,
                    t.expiresAt, t.revokedAt, t.usableAt(OffsetDateTime.now()));
        }
    }

    @POST
    public Response create(CreateToken body) {
        RequestBodies.present(body);
        String name = RequestBodies.required("name", body.name()).strip();
        if (name.length() > 100) {
            throw ApiException.invalidField("name", "must be at most 100 characters");
        }
        Set<Scope> scopes = parseScopes(body.scopes());
        int days = body.expiresInDays() == null ? DEFAULT_EXPIRY_DAYS : body.expiresInDays();
        if (days < 1 || days > TokenService.MAX_EXPIRY_DAYS) {
            throw ApiException.invalidField("expiresInDays", "must be between 1 and " + TokenService.MAX_EXPIRY_DAYS);
        }
        // A token may mint tokens only within its own scopes, so a leaked narrow token cannot widen itself.
        if (!caller.scopes().containsAll(scopes)) {
            throw ApiException.forbidden("a token can only create tokens with a subset of its own scopes");
        }
        TokenService.Issued issued = tokens.create(caller.userId(), name, scopes, days);
        PersonalAccessToken t = issued.token();
        return Response.created(URI.create("/api/v1/tokens/" + t.id))
                .entity(new CreatedToken(t.id, t.name, issued.secret(), List.copyOf(t.scopeSet()), t.createdAt,
                        t.expiresAt))
                .build();
    }

    @GET
    public List<TokenView> list() {
        return tokens.listOf(caller.userId()).stream().map(TokenView::of).toList();
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        UUID tokenId;
        try {
            tokenId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("TOKEN_NOT_FOUND", "no token " + id);
        }
        tokens.revoke(caller.userId(), tokenId);
        return Response.noContent().build();
    }

    private static Set<Scope> parseScopes(List<String> wire) {
        if (wire == null || wire.isEmpty()) {
            throw ApiException.invalidField("scopes", "at least one of read, write, registry:pull, registry:push,"
                    + " admin");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : wire) {
            scopes.add(Scope.lookup(s).orElseThrow(() -> ApiException.invalidField("scopes", "unknown scope '" + s
                    + "'; known: read, write, registry:pull, registry:push, admin")));
        }
        return scopes;
    }
}
