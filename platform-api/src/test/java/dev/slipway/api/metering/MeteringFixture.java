package dev.slipway.api.metering;

import dev.slipway.api.testsupport.Db;
import dev.slipway.api.workers.WorkerStatsSink.Sample;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An app with one release and one instance placed on a worker, written straight into the schema the scheduler and
 * the workers part share (V3_001, V3_002): metering only reads those rows, so its tests need no running engine.
 */
record MeteringFixture(String tenant, UUID appId, String app, UUID releaseId, UUID workerId, UUID instanceId) {

    static MeteringFixture instance(String tenant, String app, BigDecimal cpu, int memoryMb) {
        UUID worker = UUID.randomUUID();
        Db.update("INSERT INTO workers (id, name, credential_hash, state) VALUES (?, ?, ?, 'ready')", worker,
                "meter-" + worker, "hash-" + worker);
        UUID appId = UUID.randomUUID();
        Db.update("INSERT INTO apps (id, tenant_id, name, desired_replicas) SELECT ?, id, ?, 1 FROM tenants"
                + " WHERE name = ?", appId, app, tenant);
        UUID release = UUID.randomUUID();
        Db.update("INSERT INTO releases (id, app_id, version, image, port, replicas, cpu, memory_mb, pids)"
                + " VALUES (?, ?, 1, 'localhost:8080/x/y:1', 8080, 1, ?, ?, 256)", release, appId, cpu, memoryMb);
        UUID instance = UUID.randomUUID();
        Db.update("INSERT INTO instances (id, app_id, release_id, worker_id, state) VALUES (?, ?, ?, ?, 'running')",
                instance, appId, release, worker);
        return new MeteringFixture(tenant, appId, app, release, worker, instance);
    }

    /** Another worker holding nothing. */
    static UUID otherWorker() {
        UUID worker = UUID.randomUUID();
        Db.update("INSERT INTO workers (id, name, credential_hash, state) VALUES (?, ?, ?, 'ready')", worker,
                "other-" + worker, "hash-" + worker);
        return worker;
    }

    /** A sample of this instance: {@code cpuMillis} of CPU used since {@code startedAt}, 32 MiB in use. */
    Sample sample(Instant startedAt, long cpuMillis) {
        return new Sample(instanceId, "c-" + startedAt.getEpochSecond(), startedAt, cpuMillis * 1_000_000L,
                32L << 20, 128L << 20, 3);
    }
}
