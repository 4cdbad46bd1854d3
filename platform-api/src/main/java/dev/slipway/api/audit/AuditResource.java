package dev.slipway.api.audit;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.Tenant;
import dev.slipway.api.identity.TenantAccess;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A tenant's audit trail, newest first, for its owners and admins. */
@Path("/api/v1/tenants/{tenant}/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    public static final int MAX_PAGE_SIZE = 200;

    @Inject
    TenantAccess access;

    public record Entry(long id, OffsetDateTime at, String actor, UUID tokenId, String sourceIp, String action,
            String target, Map<String, Object> details) {
    }

    public record AuditPage(List<Entry> items, int page, int size, long total) {
    }

    @GET
    @Transactional
    public AuditPage list(@PathParam("tenant") String tenant, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0) {
            throw ApiException.invalidField("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.invalidField("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        Tenant owner = access.require(tenant, Role.ADMIN, Scope.READ);
        var query = AuditEntry.<AuditEntry>find("tenantId", Sort.descending("id"), owner.id);
        List<Entry> items = query.page(Page.of(page, size)).list().stream()
                .map(e -> new Entry(e.id, e.occurredAt, e.actorUsername, e.tokenId, e.sourceIp, e.action, e.target,
                        e.details))
                .toList();
        return new AuditPage(items, page, size, query.count());
    }
}
