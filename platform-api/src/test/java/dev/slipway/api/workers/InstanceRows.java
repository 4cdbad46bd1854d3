package dev.slipway.api.workers;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import java.util.UUID;

/**
 * Writes the rows the scheduler would write (an app with one release, its config, instances placed on a
 * worker), so the worker side can be tested on its own. The state is consistent: the app wants as many replicas
 * as it has instances, so a running scheduler has nothing to change.
 */
final class InstanceRows {

    static final String DIGEST = "sha256:" + "ab".repeat(32);

    final String tenant;
    final UUID appId = UUID.randomUUID();
    final UUID releaseId = UUID.randomUUID();

    private InstanceRows(String tenant) {
        this.tenant = tenant;
    }

    /** A tenant (owned by a fresh user) with app {@code web}, release v1 of {@code <tenant>/web:1}. */
    static InstanceRows app(int replicas) {
        TestUser owner = TestUser.create("wowner");
        String tenant = Api.createTenant(owner, "wk");
        InstanceRows rows = new InstanceRows(tenant);
        Db.update("INSERT INTO apps (id, tenant_id, name, desired_replicas, last_release)"
                + " SELECT ?, id, 'web', ?, 1 FROM tenants WHERE name = ?", rows.appId, replicas, tenant);
        Db.update("INSERT INTO releases (id, app_id, version, image, image_digest, command, env, port, replicas, cpu,"
                + " memory_mb, pids, health_path, health_interval, health_timeout, status) VALUES (?, ?, 1, ?, ?,"
                + " '[\"httpd\", \"-f\"]'::jsonb, '{\"A\": \"1\", \"B\": \"release\"}'::jsonb, 8080, ?, 0.5, 64, 128,"
                + " '/healthz', 3, 1, 'running')", rows.releaseId, rows.appId, tenant + "/web:1", DIGEST, replicas);
        Db.update("UPDATE apps SET current_release_id = ? WHERE id = ?", rows.releaseId, rows.appId);
        Db.update("INSERT INTO app_config (app_id, key, value, secret) VALUES (?, 'B', 'config', false),"
                + " (?, 'S', 'hidden', true)", rows.appId, rows.appId);
        return rows;
    }

    /** An instance of the release placed on {@code workerId}, in {@code state}, wanted running. */
    UUID instanceOn(String workerId, String state, boolean healthy) {
        UUID id = UUID.randomUUID();
        Db.update("INSERT INTO instances (id, app_id, release_id, worker_id, state, healthy, endpoint)"
                + " VALUES (?, ?, ?, ?::uuid, ?, ?, ?)", id, appId, releaseId, workerId, state, healthy,
                healthy ? "10.211.9.2:8080" : null);
        return id;
    }

    /** What the scheduler does after changing a worker's rows. */
    static void workerChanged(String workerId) {
        Db.count("SELECT count(*) FROM (SELECT pg_notify('slipway_worker', ?)) n", workerId);
    }
}
