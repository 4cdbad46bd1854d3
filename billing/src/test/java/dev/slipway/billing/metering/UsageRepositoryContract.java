package dev.slipway.billing.metering;

import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link UsageRepository} must have. An implementation's test extends this class and
 * provides a repository; each test uses fresh tenant and instance names, so a shared database is fine.
 */
public abstract class UsageRepositoryContract {

    protected abstract UsageRepository repository();

    /**
     * Makes {@code name} a registered tenant before a test uses it. Repositories that key usage by the tenant's
     * id (resolved from the name when writing) need the tenant to exist; others need nothing.
     */
    protected void registerTenant(String name) {
    }

    private UsageRepository repo;
    private String tenant;
    private String instance;
    private final Instant t0 = Instant.parse("2026-11-05T10:00:00Z");

    @BeforeEach
    void setUpNames() {
        repo = repository();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        tenant = "t-" + unique;
        instance = "i-" + unique;
        registerTenant(tenant);
        registerTenant(tenant + "x");
    }

    private InstanceCursor cursorAt(Instant at, long cpu) {
        return new InstanceCursor(instance, at, cpu, Duration.ofSeconds(cpu), false);
    }

    private UsageRecord record(Meter meter, String quantity, Instant start, Instant end) {
        return new UsageRecord(tenant, "web", instance, meter, new BigDecimal(quantity), start, end);
    }

    @Test
    void anUnknownInstanceHasNoCursor() {
        assertEquals(Optional.empty(), repo.cursor(instance));
    }

    @Test
    void commitStoresRecordsAndMovesTheCursorTogether() {
        InstanceCursor first = cursorAt(t0, 10);
        assertTrue(repo.commit(Optional.empty(), first, List.of(record(Meter.VCPU_SECONDS, "5", t0.minusSeconds(10), t0))));
        assertEquals(Optional.of(first), repo.cursor(instance));
        InstanceCursor second = cursorAt(t0.plusSeconds(30), 40);
        assertTrue(repo.commit(Optional.of(first), second, List.of(
                record(Meter.VCPU_SECONDS, "15", t0, t0.plusSeconds(30)),
                record(Meter.MEMORY_GB_SECONDS, "3.75", t0, t0.plusSeconds(30)))));
        assertEquals(Optional.of(second), repo.cursor(instance));
        var usage = repo.usage(tenant, t0.minusSeconds(3600), t0.plusSeconds(3600));
        assertEquals(3, usage.size());
        assertEquals(0, new BigDecimal("3.75").compareTo(usage.stream()
                .filter(r -> r.meter() == Meter.MEMORY_GB_SECONDS).findFirst().orElseThrow().quantity()));
        assertEquals(t0.minusSeconds(10), usage.getFirst().start(), "ordered by start");
    }

    @Test
    void aStaleExpectedCursorStoresNothing() {
        InstanceCursor first = cursorAt(t0, 10);
        assertTrue(repo.commit(Optional.empty(), first, List.of()));
        assertFalse(repo.commit(Optional.empty(), cursorAt(t0.plusSeconds(30), 40),
                List.of(record(Meter.VCPU_SECONDS, "15", t0, t0.plusSeconds(30)))));
        assertFalse(repo.commit(Optional.of(cursorAt(t0.minusSeconds(30), 1)), cursorAt(t0.plusSeconds(30), 40),
                List.of(record(Meter.VCPU_SECONDS, "15", t0, t0.plusSeconds(30)))));
        assertEquals(Optional.of(first), repo.cursor(instance));
        assertTrue(repo.usage(tenant, t0.minusSeconds(3600), t0.plusSeconds(3600)).isEmpty());
    }

    @Test
    void aRecordWithAKnownIdempotencyKeyIsStoredOnce() {
        UsageRecord once = record(Meter.VCPU_SECONDS, "15", t0, t0.plusSeconds(30));
        InstanceCursor first = cursorAt(t0.plusSeconds(30), 30);
        assertTrue(repo.commit(Optional.empty(), first, List.of(once)));
        assertTrue(repo.commit(Optional.of(first), cursorAt(t0.plusSeconds(60), 60), List.of(once)));
        assertEquals(1, repo.usage(tenant, t0, t0.plusSeconds(60)).size());
    }

    @Test
    void usageReturnsRecordsOverlappingTheRangeOfThatTenantOnly() {
        UsageRecord before = record(Meter.VCPU_SECONDS, "1", t0.minusSeconds(60), t0);
        UsageRecord across = record(Meter.VCPU_SECONDS, "2", t0.plusSeconds(50), t0.plusSeconds(70));
        UsageRecord after = record(Meter.VCPU_SECONDS, "3", t0.plusSeconds(120), t0.plusSeconds(180));
        UsageRecord otherTenant = new UsageRecord(tenant + "x", "web", instance + "x", Meter.VCPU_SECONDS,
                BigDecimal.ONE, t0, t0.plusSeconds(10));
        assertTrue(repo.commit(Optional.empty(), cursorAt(t0.plusSeconds(180), 1), List.of(before, across, after)));
        assertTrue(repo.commit(Optional.empty(), new InstanceCursor(instance + "x", t0, 0, Duration.ZERO, false),
                List.of(otherTenant)));
        var usage = repo.usage(tenant, t0, t0.plusSeconds(60));
        assertEquals(1, usage.size());
        assertEquals(across.idempotencyKey(), usage.getFirst().idempotencyKey());
        assertEquals(0, new BigDecimal("2").compareTo(usage.getFirst().quantity()));
    }

    @Test
    void concurrentCommitsFromTheSameCursorLetExactlyOneWin() throws Exception {
        assertEquals(1, race(Optional.empty(), cursorAt(t0, 10)));
        InstanceCursor winner = repo.cursor(instance).orElseThrow();
        assertEquals(1, race(Optional.of(winner), cursorAt(t0.plusSeconds(30), 40)));
        assertEquals(2, repo.usage(tenant, t0.minusSeconds(3600), t0.plusSeconds(3600)).size());
    }

    /** Eight callers commit from {@code expected} at once, each with its own next cursor and record. */
    private int race(Optional<InstanceCursor> expected, InstanceCursor template) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            var start = new CountDownLatch(1);
            var results = new ArrayList<Future<Boolean>>();
            for (int i = 0; i < 8; i++) {
                Instant at = template.observedAt().plusMillis(i);
                var next = new InstanceCursor(instance, at, template.cpuUsageNanos() + i, template.running(), false);
                var record = record(Meter.VCPU_SECONDS, "1", template.observedAt().minusSeconds(1), at);
                results.add(pool.submit(() -> {
                    start.await();
                    return repo.commit(expected, next, List.of(record));
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> r : results) {
                wins += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            return wins;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEndedCursorIsKept() {
        InstanceCursor first = cursorAt(t0, 10);
        assertTrue(repo.commit(Optional.empty(), first, List.of()));
        assertTrue(repo.commit(Optional.of(first), first.end(), List.of()));
        assertTrue(repo.cursor(instance).orElseThrow().ended());
    }
}
