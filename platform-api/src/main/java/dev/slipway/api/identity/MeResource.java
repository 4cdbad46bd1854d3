package dev.slipway.api.identity;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** Who am I: the caller, their tenants with roles, and the token in use if any. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    CurrentCaller caller;

    @Inject
    MembershipService memberships;

    public record Me(UUID id, String username, boolean platformAdmin, List<TenantRole> tenants, TokenInUse token) {
    }

    public record TenantRole(String name, Role role) {
    }

    public record TokenInUse(UUID id, List<Scope> scopes) {
    }

    @GET
    public Me me() {
        List<TenantRole> tenants = memberships.tenantsOf(caller.userId()).entrySet().stream()
                .map(e -> new TenantRole(e.getKey(), e.getValue())).toList();
        TokenInUse token = caller.tokenId().map(id -> new TokenInUse(id, caller.scopes().stream().sorted().toList())).orElse(null);
        return new Me(caller.userId(), caller.username(), caller.isPlatformAdmin(), tenants, token);
    }
}
