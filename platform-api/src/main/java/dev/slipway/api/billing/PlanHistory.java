package dev.slipway.api.billing;

import dev.slipway.billing.rating.Plan;
import dev.slipway.billing.rating.PlanAssignment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Which plan a tenant was on when ({@code billing_plan_assignments}). Every tenant starts on
 * {@value PlanCatalog#DEFAULT_PLAN}: that implicit first assignment, from the epoch, is not stored.
 */
@ApplicationScoped
public class PlanHistory {

    @Inject
    DataSource dataSource;

    @Inject
    PlanCatalog catalog;

    /** The tenant's whole history, oldest first, always starting with the default plan at the epoch. */
    @Transactional
    public List<PlanAssignment> of(String tenant) {
        var history = new ArrayList<PlanAssignment>();
        var plans = new HashMap<String, Plan>();
        history.add(new PlanAssignment(catalog.require(PlanCatalog.DEFAULT_PLAN), Instant.EPOCH));
        String sql = "SELECT plan_id, effective_from FROM billing_plan_assignments WHERE tenant_id = " + TenantIds.OF_NAME
                + " ORDER BY effective_from";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Plan plan = plans.computeIfAbsent(rs.getString(1), catalog::require);
                    history.add(new PlanAssignment(plan, rs.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading plan history of " + tenant, e);
        }
        return history;
    }

    public Plan current(String tenant, Instant now) {
        Plan current = null;
        for (PlanAssignment a : of(tenant)) {
            if (!a.effectiveFrom().isAfter(now)) {
                current = a.plan();
            }
        }
        return current;
    }

    /** Puts the tenant on {@code planId} from {@code from} on; the caller checked access and the plan. */
    @Transactional
    public void assign(String tenant, String planId, Instant from) {
        String sql = "INSERT INTO billing_plan_assignments (tenant, tenant_id, plan_id, effective_from)"
                + " VALUES (?, " + TenantIds.OF_NAME + ", ?, ?) ON CONFLICT (tenant_id, effective_from) DO UPDATE SET plan_id = EXCLUDED.plan_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            ps.setString(2, tenant);
            ps.setString(3, planId);
            ps.setObject(4, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("assigning plan " + planId + " to " + tenant, e);
        }
    }
}
