package dev.slipway.api.registry;

import dev.slipway.api.identity.Tenant;
import dev.slipway.api.identity.TenantDeletionGuard;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Repositories are named {@code <tenant>/<name>}: if a tenant could be deleted with its repositories left behind, a
 * new tenant taking the same name would be served them by name. So a tenant with repositories cannot be deleted
 * (409 {@code TENANT_NOT_EMPTY}).
 */
@ApplicationScoped
public class RepositoriesBlockTenantDeletion implements TenantDeletionGuard {

    @Inject
    AgroalDataSource db;

    @Override
    public Optional<String> blockingReason(Tenant tenant) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM registry_repositories WHERE tenant_id = ?")) {
            ps.setObject(1, tenant.id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long repositories = rs.getLong(1);
                return repositories == 0 ? Optional.empty()
                        : Optional.of("tenant still has " + repositories + " registry repositories");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting repositories of " + tenant.name, e);
        }
    }
}
