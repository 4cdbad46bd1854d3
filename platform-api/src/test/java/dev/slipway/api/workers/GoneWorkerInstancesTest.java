package dev.slipway.api.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.Workers;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle of instance rows whose worker is gone for good: the scheduler replaces them at once; their rows
 * stay (as {@code lost}) while a lost worker may come back, and go after {@code slipway.workers.forget-after}
 * (15 min) or, for a removed worker, as soon as the app's replacements run. Their samples and logs stay.
 */
@QuarkusTest
class GoneWorkerInstancesTest {

    private UUID spare;

    @BeforeEach
    void aWorkerForReplacements() {
        // workers other tests left ready must not matter; replacements go to this one (seen "in the future", so
        // the lost-worker sweep leaves it alone)
        Db.update("UPDATE workers SET state = 'removed' WHERE state IN ('ready', 'draining')");
        spare = UUID.randomUUID();
        Db.update("INSERT INTO workers (id, name, credential_hash, cpu, memory_mb, state, last_seen_at)"
                + " VALUES (?, 'spare', ?, 8, 8192, 'ready', now() + interval '1 day')", spare, "test-" + spare);
    }

    @AfterEach
    void removeSpare() {
        Db.update("UPDATE workers SET state = 'removed' WHERE id = ?", spare);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A worker row in service with one running instance of a fresh app, its stats sample and a log cursor. */
    private static UUID[] workerWithInstance(String name) {
        UUID worker = UUID.randomUUID();
        Db.update("INSERT INTO workers (id, name, credential_hash, cpu, memory_mb, state, last_seen_at)"
                + " VALUES (?, ?, ?, 8, 8192, 'ready', now() + interval '1 day')", worker, name, "test-" + worker);
        InstanceRows rows = InstanceRows.app(1);
        UUID instance = rows.instanceOn(worker.toString(), "running", true);
        Db.update("INSERT INTO instance_samples (instance_id, at, app_id, worker_id, started_at, cpu_usage_nanos,"
                + " memory_bytes, memory_limit_bytes, pids) VALUES (?, now(), ?, ?, now(), 1000, 4096, 67108864, 1)",
                instance, rows.appId, worker);
        return new UUID[] {worker, rows.appId, instance};
    }

    private static long rows(UUID instance) {
        return Db.count("SELECT count(*) FROM instances WHERE id = ?", instance);
    }

    private static long replacements(UUID app, UUID instance) {
        return Db.count("SELECT count(*) FROM instances WHERE app_id = ? AND id <> ? AND desired_state = 'running'",
                app, instance);
    }

    @Test
    void aRemovedWorkersInstancesAreReplacedAndTheirRowsGoOnceTheReplacementsRunWhileTheirSamplesStay()
            throws Exception {
        UUID[] w = workerWithInstance("gone-removed");
        Workers.remove(w[0].toString());

        await("a replacement exists and the old row is given up", () -> replacements(w[1], w[2]) == 1
                && Db.count("SELECT count(*) FROM instances WHERE id = ? AND desired_state = 'stopped'", w[2]) == 1);
        Thread.sleep(3000); // a few sweeps: while the replacement does not run, the lost row says why
        assertEquals(1, rows(w[2]), "the lost row is kept until its replacement runs");

        // what the spare worker's session writes once the replacement runs
        Db.update("UPDATE instances SET state = 'running', healthy = true, endpoint = '127.0.0.1:9'"
                + " WHERE app_id = ? AND id <> ?", w[1], w[2]);
        await("the old row is forgotten", () -> rows(w[2]) == 0);
        assertEquals(1, Db.count("SELECT count(*) FROM instance_samples WHERE instance_id = ?", w[2]),
                "the samples of a forgotten instance stay for metering and charts");
    }

    @Test
    void aLostWorkersReplacedInstancesStayAsLostUntilForgetAfterThenGo() throws Exception {
        UUID[] w = workerWithInstance("gone-lost");
        // what the lost-worker sweep writes, five minutes after the worker's last heartbeat
        Db.update("UPDATE workers SET state = 'lost', last_seen_at = now() - interval '5 minutes' WHERE id = ?", w[0]);
        Db.update("UPDATE instances SET state = 'lost', healthy = false WHERE worker_id = ?", w[0]);

        await("a replacement exists and the old row is given up", () -> replacements(w[1], w[2]) == 1
                && Db.count("SELECT count(*) FROM instances WHERE id = ? AND desired_state = 'stopped'", w[2]) == 1);
        Thread.sleep(3000); // a few sweeps: within forget-after, the row stays for the worker to come back to
        assertEquals(1, rows(w[2]), "the lost row is kept within forget-after");

        Db.update("UPDATE workers SET last_seen_at = now() - interval '16 minutes' WHERE id = ?", w[0]);
        await("the lost row is forgotten", () -> rows(w[2]) == 0);
        assertEquals(1, replacements(w[1], w[2]), "the replacement stays");
        assertEquals(1, Db.count("SELECT count(*) FROM instance_samples WHERE instance_id = ?", w[2]));
    }

    @Test
    void nothingReferencesInstanceRowsWithAForeignKey() {
        // logs, samples and usage key by instance id without a foreign key, so deleting a row breaks none of them
        assertEquals(0, Db.count("SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                + " AND confrelid = 'instances'::regclass"));
    }
}
