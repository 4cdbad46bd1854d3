package dev.slipway.api.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Answers who belongs to which tenant with which role. Read-only; changes go through {@link MemberAdministration}. */
@ApplicationScoped
public class MembershipService {

    @Transactional
    public Optional<Role> roleOf(UUID userId, String tenantName) {
        return Membership.<Membership>find("user.id = ?1 and tenant.name = ?2", userId, tenantName)
                .firstResultOptional().map(m -> m.role);
    }

    /** Tenant name to role, ordered by tenant name. */
    public Map<String, Role> tenantsOf(UUID userId) {
        Map<String, Role> result = new LinkedHashMap<>();
        membershipsOf(userId).forEach(m -> result.put(m.tenant.name, m.role));
        return result;
    }

    /** The user's memberships with their tenants loaded, ordered by tenant name. */
    @Transactional
    public List<Membership> membershipsOf(UUID userId) {
        return Membership.list("select m from Membership m join fetch m.tenant t where m.user.id = ?1"
                + " order by t.name", userId);
    }

    @Transactional
    public boolean tenantExists(String tenantName) {
        return Tenant.count("name", tenantName) > 0;
    }
}
