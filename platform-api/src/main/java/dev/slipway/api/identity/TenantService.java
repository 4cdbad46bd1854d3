package dev.slipway.api.identity;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creates and deletes tenants. Reading and membership checks live in {@link TenantAccess}. */
@ApplicationScoped
public class TenantService {

    private static final String UNIQUE_VIOLATION = "23505";

    @Inject
    CurrentCaller caller;

    @Inject
    AuditLog audit;

    @Inject
    Instance<TenantDeletionGuard> guards;

    /**
     * Creates a tenant with the caller as its owner. Two concurrent creates of one name race on the database's
     * unique constraint: exactly one commits, the other gets 409 TENANT_EXISTS.
     */
    public Tenant create(String name) {
        TenantNames.validate(name);
        caller.requireScope(Scope.WRITE);
        UUID owner = caller.userId();
        try {
            return QuarkusTransaction.requiringNew().call(() -> insert(name, owner));
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw ApiException.conflict("TENANT_EXISTS", "the tenant name '" + name + "' is taken");
            }
            throw e;
        }
    }

    private Tenant insert(String name, UUID ownerId) {
        Tenant tenant = persistWithOwner(name, User.findById(ownerId));
        audit.record(name, "tenant.create", name, Map.of());
        return tenant;
    }

    /** Inserts the tenant row and its first owner; the caller's transaction decides when they become visible. */
    static Tenant persistWithOwner(String name, User ownerUser) {
        Tenant tenant = new Tenant();
        tenant.id = UUID.randomUUID();
        tenant.name = name;
        tenant.createdAt = OffsetDateTime.now();
        tenant.persistAndFlush();
        Membership owner = new Membership();
        owner.id = UUID.randomUUID();
        owner.tenant = tenant;
        owner.user = ownerUser;
        owner.role = Role.OWNER;
        owner.createdAt = tenant.createdAt;
        owner.persist();
        return tenant;
    }

    /** Deletes an empty tenant; owner only. Guards from other parts (registry, apps) may veto. */
    @Transactional
    public void delete(Tenant tenant) {
        Tenant locked = Tenant.lockByName(tenant.name).orElseThrow(() -> TenantAccess.notFound(tenant.name));
        for (TenantDeletionGuard guard : guards) {
            Optional<String> reason = guard.blockingReason(locked);
            if (reason.isPresent()) {
                throw ApiException.conflict("TENANT_NOT_EMPTY", reason.get());
            }
        }
        // recorded while the tenant still exists, so the entry carries its id
        audit.record(locked.name, "tenant.delete", locked.name, Map.of());
        Membership.delete("tenant.id", locked.id);
        locked.delete();
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
