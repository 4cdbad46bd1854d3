package dev.slipway.api.router;

import dev.slipway.api.router.RoutePlanner.AppRow;
import dev.slipway.api.router.RoutePlanner.InstanceRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads routes from PostgreSQL (apps joined to tenants and their current release, plus their instances), for all
 * apps or one. Called by {@link RouteRefresher} off the request path; plain JDBC in one read-only snapshot, so an
 * app and its instances are read consistently.
 */
@ApplicationScoped
class RouteLoader {

    private static final String APPS = """
            SELECT a.id, t.name AS tenant, a.name, a.current_release_id, a.desired_replicas, r.status
            FROM apps a JOIN tenants t ON t.id = a.tenant_id LEFT JOIN releases r ON r.id = a.current_release_id
            """;
    private static final String INSTANCES = """
            SELECT app_id, release_id, state, healthy, endpoint, desired_state FROM instances
            """;

    private final DataSource dataSource;

    RouteLoader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<Route> loadAll() {
        return load(null);
    }

    /** The app's route, or empty when the app no longer exists. */
    Optional<Route> loadApp(UUID appId) {
        return load(appId).stream().findFirst();
    }

    private List<Route> load(UUID appId) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Map<UUID, List<InstanceRow>> instances = instances(c, appId);
                List<Route> routes = new ArrayList<>();
                for (AppRow app : apps(c, appId)) {
                    routes.add(RoutePlanner.plan(app, instances.getOrDefault(app.id(), List.of())));
                }
                return routes;
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read routes: " + e.getMessage(), e);
        }
    }

    private static List<AppRow> apps(Connection c, UUID appId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(APPS + (appId == null ? "" : " WHERE a.id = ?"))) {
            if (appId != null) {
                s.setObject(1, appId);
            }
            List<AppRow> apps = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    apps.add(new AppRow(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            rows.getObject(4, UUID.class), rows.getInt(5), rows.getString(6)));
                }
            }
            return apps;
        }
    }

    private static Map<UUID, List<InstanceRow>> instances(Connection c, UUID appId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                INSTANCES + (appId == null ? "" : " WHERE app_id = ?") + " ORDER BY created_at, id")) {
            if (appId != null) {
                s.setObject(1, appId);
            }
            Map<UUID, List<InstanceRow>> byApp = new HashMap<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    InstanceRow row = new InstanceRow(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getString(3), rows.getBoolean(4), rows.getString(5), rows.getString(6));
                    byApp.computeIfAbsent(row.appId(), id -> new ArrayList<>()).add(row);
                }
            }
            return byApp;
        }
    }
}
