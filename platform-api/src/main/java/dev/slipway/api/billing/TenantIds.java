package dev.slipway.api.billing;

/**
 * Billing rows belong to a tenant's immutable id, not its name: a name is reused once its tenant is deleted. The
 * id is resolved from the name inside the statement that reads or writes, so it is the tenant that exists in that
 * transaction; rows of a deleted tenant match no current tenant.
 */
final class TenantIds {

    /** SQL expression for the id of the tenant named by the bound parameter; null when none exists. */
    static final String OF_NAME = "(SELECT id FROM tenants WHERE name = ?)";

    private TenantIds() {
    }
}
