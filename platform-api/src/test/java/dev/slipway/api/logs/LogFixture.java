package dev.slipway.api.logs;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.api.workers.WorkerLogSink.Record;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant with a deployed app, a worker row and instances placed on it, made through the public API and (for
 * the rows the scheduler and worker sessions write) direct SQL; plus numbered log records for them.
 */
record LogFixture(TestUser owner, String tenant, String app, UUID appId, UUID releaseId, UUID workerId) {

    static LogFixture create(String hint) {
        TestUser owner = TestUser.create(hint);
        String tenant = Api.createTenant(owner, hint);
        // rows as the apps API and the scheduler would leave them; no current release, so the scheduler has
        // nothing to place and leaves the instances these tests put on workers alone
        UUID appId = UUID.randomUUID();
        UUID releaseId = UUID.randomUUID();
        Db.update("INSERT INTO apps (id, tenant_id, name, desired_replicas, last_release)"
                + " SELECT ?, id, 'web', 0, 1 FROM tenants WHERE name = ?", appId, tenant);
        Db.update("INSERT INTO releases (id, app_id, version, image, port, replicas, cpu, memory_mb, pids, status)"
                + " VALUES (?, ?, 1, ?, 8080, 1, 0.5, 64, 64, 'running')", releaseId, appId, tenant + "/web:1");
        return new LogFixture(owner, tenant, "web", appId, releaseId, worker());
    }

    static UUID worker() {
        UUID id = UUID.randomUUID();
        Db.update("INSERT INTO workers (id, name, credential_hash, state) VALUES (?, ?, ?, 'ready')", id,
                "w-" + id.toString().substring(0, 8), "hash-" + id);
        return id;
    }

    /** An instance of the app placed on {@code worker}. */
    UUID instance(UUID worker) {
        UUID id = UUID.randomUUID();
        Db.update("INSERT INTO instances (id, app_id, release_id, worker_id, state) VALUES (?, ?, ?, ?, 'running')",
                id, appId, releaseId, worker);
        return id;
    }

    String logs() {
        return "/api/v1/tenants/" + tenant + "/apps/" + app + "/logs";
    }

    /** Records {@code from} .. {@code to - 1} of an instance, line text "line <seq>". */
    static List<Record> numbered(UUID instance, long from, long to) {
        List<Record> records = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        for (long seq = from; seq < to; seq++) {
            records.add(new Record(instance, seq, seq % 10 == 9 ? "stderr" : "stdout", t0.plusMillis(seq).plusNanos(7),
                    "line " + seq, false));
        }
        return records;
    }

    private static UUID uuid(String sql, Object param) {
        try (var c = dev.slipway.api.testsupport.PlatformTestResources.database().getConnection();
                var s = c.prepareStatement(sql)) {
            s.setObject(1, param);
            try (var rows = s.executeQuery()) {
                rows.next();
                return rows.getObject(1, UUID.class);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
