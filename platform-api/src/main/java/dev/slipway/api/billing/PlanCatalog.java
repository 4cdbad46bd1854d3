package dev.slipway.api.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.error.ApiException;
import dev.slipway.billing.rating.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The published plans ({@code billing_plans}). Plans are only ever added, never changed. */
@ApplicationScoped
public class PlanCatalog {

    public static final String DEFAULT_PLAN = "free";

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Transactional
    public List<Plan> all() {
        return query("SELECT id, name, currency, definition::text FROM billing_plans ORDER BY created_at, id", null);
    }

    @Transactional
    public Optional<Plan> find(String id) {
        return query("SELECT id, name, currency, definition::text FROM billing_plans WHERE id = ?", id).stream().findFirst();
    }

    public Plan require(String id) {
        return find(id).orElseThrow(() -> ApiException.notFound("PLAN_NOT_FOUND", "no plan '" + id + "'"));
    }

    /** Publishes a plan; 409 {@code PLAN_EXISTS} if the id is taken (plans are immutable). */
    @Transactional
    public void add(Plan plan) {
        String sql = "INSERT INTO billing_plans (id, name, currency, definition) VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (id) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, plan.id());
            ps.setString(2, plan.name());
            ps.setString(3, plan.currency().getCurrencyCode());
            ps.setString(4, json.writeValueAsString(PlanDocument.of(plan).definition()));
            if (ps.executeUpdate() == 0) {
                throw ApiException.conflict("PLAN_EXISTS", "a plan '" + plan.id() + "' exists; plans never change, publish a new id");
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("storing plan " + plan.id(), e);
        }
    }

    private List<Plan> query(String sql, String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setString(1, id);
            }
            var plans = new ArrayList<Plan>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var definition = json.readValue(rs.getString(4), PlanDocument.Definition.class);
                    plans.add(new PlanDocument(rs.getString(1), rs.getString(2), rs.getString(3).trim(),
                            definition.components(), definition.hardLimits()).toPlan());
                }
            }
            return plans;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("reading plans", e);
        }
    }
}
