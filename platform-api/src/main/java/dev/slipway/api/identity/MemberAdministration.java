package dev.slipway.api.identity;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Adds, re-roles and removes tenant members. Rules: admins manage members below owner; only owners grant, change
 * or take away the owner role; a tenant always keeps at least one owner. Each change locks the tenant row first,
 * so two concurrent demotions cannot both pass the last-owner check.
 */
@ApplicationScoped
public class MemberAdministration {

    @Inject
    TenantAccess access;

    @Inject
    CurrentCaller caller;

    @Inject
    AuditLog audit;

    @Transactional
    public List<Membership> list(String tenantName) {
        Tenant tenant = access.require(tenantName, Role.VIEWER, Scope.READ);
        return Membership.list("select m from Membership m join fetch m.user u where m.tenant.id = ?1"
                + " order by u.username", tenant.id);
    }

    @Transactional
    public Membership add(String tenantName, String username, Role role) {
        Tenant tenant = lockedForChange(tenantName, role);
        User user = User.findByUsername(username).orElseThrow(() -> ApiException.notFound("USER_NOT_FOUND",
                "no user '" + username + "'; a user exists in Slipway after signing in once"));
        if (Membership.count("tenant.id = ?1 and user.id = ?2", tenant.id, user.id) > 0) {
            throw ApiException.conflict("MEMBER_EXISTS", "'" + username + "' is already a member; change the role"
                    + " with PUT instead");
        }
        Membership membership = new Membership();
        membership.id = UUID.randomUUID();
        membership.tenant = tenant;
        membership.user = user;
        membership.role = role;
        membership.createdAt = OffsetDateTime.now();
        membership.persist();
        audit.record(tenantName, "member.add", username, Map.of("role", role.wire()));
        return membership;
    }

    @Transactional
    public Membership changeRole(String tenantName, String username, Role role) {
        Tenant tenant = lockedForChange(tenantName, role);
        Membership membership = memberOf(tenant, username);
        requireMayTouch(membership);
        if (membership.role == Role.OWNER && role != Role.OWNER) {
            requireAnotherOwner(tenant);
        }
        Role before = membership.role;
        membership.role = role;
        audit.record(tenantName, "member.role", username, Map.of("from", before.wire(), "to", role.wire()));
        return membership;
    }

    /** Removes a member; members may also remove themselves (leave), except the last owner. */
    @Transactional
    public void remove(String tenantName, String username) {
        boolean leaving = username.equals(caller.username());
        Tenant tenant = leaving ? access.require(tenantName, Role.VIEWER, Scope.WRITE)
                : access.require(tenantName, Role.ADMIN, Scope.ADMIN);
        tenant = Tenant.lockByName(tenant.name).orElseThrow(() -> TenantAccess.notFound(tenantName));
        Membership membership = memberOf(tenant, username);
        if (!leaving) {
            requireMayTouch(membership);
        }
        if (membership.role == Role.OWNER) {
            requireAnotherOwner(tenant);
        }
        membership.delete();
        audit.record(tenantName, "member.remove", username, Map.of("role", membership.role.wire()));
    }

    private Tenant lockedForChange(String tenantName, Role granted) {
        Tenant tenant = access.require(tenantName, granted == Role.OWNER ? Role.OWNER : Role.ADMIN, Scope.ADMIN);
        return Tenant.lockByName(tenant.name).orElseThrow(() -> TenantAccess.notFound(tenantName));
    }

    private void requireMayTouch(Membership target) {
        if (target.role == Role.OWNER) {
            access.require(target.tenant.name, Role.OWNER, Scope.ADMIN);
        }
    }

    private static Membership memberOf(Tenant tenant, String username) {
        return Membership.<Membership>find("select m from Membership m join fetch m.user u join fetch m.tenant"
                        + " where m.tenant.id = ?1 and u.username = ?2", tenant.id, username)
                .firstResultOptional().orElseThrow(() -> ApiException.notFound("MEMBER_NOT_FOUND",
                        "'" + username + "' is not a member of '" + tenant.name + "'"));
    }

    private static void requireAnotherOwner(Tenant tenant) {
        if (Membership.count("tenant.id = ?1 and role = ?2", tenant.id, Role.OWNER) <= 1) {
            throw ApiException.conflict("LAST_OWNER", "'" + tenant.name + "' must keep at least one owner;"
                    + " make someone else owner first");
        }
    }
}
