package dev.slipway.api.router;

import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import java.util.UUID;

/**
 * Writes the rows the router reads, directly in SQL, the way the scheduler (apps, releases, instances) and the
 * workers' sessions (reported state, health, endpoint) do; then announces them with ROUTES_CHANGED as they do.
 * Instances sit on a worker row that counts as connected and fresh, so no other part of the platform treats them
 * as lost while a test runs.
 */
final class RouteRows {

    private static final UUID WORKER = UUID.randomUUID();

    private RouteRows() {
    }

    static String tenant(String hint) {
        String name = TestUser.uniqueName(hint);
        Db.update("INSERT INTO tenants (id, name) VALUES (?, ?)", UUID.randomUUID(), name);
        return name;
    }

    static UUID app(String tenant, String name, int replicas) {
        UUID id = UUID.randomUUID();
        Db.update("INSERT INTO apps (id, tenant_id, name, desired_replicas) "
                + "SELECT ?, id, ?, ? FROM tenants WHERE name = ?", id, name, replicas, tenant);
        return id;
    }

    /** Adds release {@code version} and makes it the app's current one. */
    static UUID release(UUID appId, int version, int replicas, String status) {
        UUID id = UUID.randomUUID();
        Db.update("INSERT INTO releases (id, app_id, version, image, port, replicas, cpu, memory_mb, pids, status) "
                + "VALUES (?, ?, ?, 'localhost:8080/t/web:' || ?, 8080, ?, 0.5, 64, 64, ?)",
                id, appId, version, version, replicas, status);
        Db.update("UPDATE apps SET current_release_id = ?, last_release = ? WHERE id = ?", id, version, appId);
        return id;
    }

    static UUID instance(UUID appId, UUID releaseId, String state, boolean healthy, String endpoint) {
        ensureWorker();
        UUID id = UUID.randomUUID();
        Db.update("INSERT INTO instances (id, app_id, release_id, worker_id, state, healthy, endpoint) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, appId, releaseId, WORKER, state, healthy, endpoint);
        return id;
    }

    static void setHealthy(UUID instanceId, boolean healthy) {
        Db.update("UPDATE instances SET healthy = ?, state = ? WHERE id = ?", healthy,
                healthy ? "running" : "crash-loop", instanceId);
    }

    static void deleteApp(UUID appId) {
        Db.update("UPDATE apps SET current_release_id = NULL WHERE id = ?", appId);
        Db.update("DELETE FROM apps WHERE id = ?", appId);
    }

    /** What the scheduler and workers publish after a change to an app's routable set. */
    static void routesChanged(Object payload) {
        Db.count("SELECT count(*) FROM (SELECT pg_notify('slipway_routes', ?)) n", payload.toString());
    }

    private static synchronized void ensureWorker() {
        // last_seen_at in the future: a lost-worker sweep running in the same application leaves it alone.
        Db.update("INSERT INTO workers (id, name, credential_hash, cpu, memory_mb, state, last_seen_at) "
                + "VALUES (?, 'router-test', ?, 64, 65536, 'ready', now() + interval '1 day') "
                + "ON CONFLICT (id) DO NOTHING", WORKER, "router-test-" + WORKER);
    }
}
