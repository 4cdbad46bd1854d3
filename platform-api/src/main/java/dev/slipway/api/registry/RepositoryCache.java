package dev.slipway.api.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Repositories by name for the request path: every {@code /v2/} request of a repository needs its id and
 * visibility, and only the visibility ever changes (names and ids are never reused), so entries live for
 * {@code slipway.registry.lookup-cache-ttl}. A change through {@link #forget} takes effect on this replica as
 * soon as its transaction ends; other replicas see it within the TTL, well inside a registry token's lifetime,
 * during which a token already grants what it granted. Absent repositories are not cached: a push creates them.
 */
@ApplicationScoped
public class RepositoryCache {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(RegistryMetadata.Repository repository, long loadedAt) {
    }

    @Inject
    RegistryMetadata metadata;

    @Inject
    RegistryConfig config;

    @Inject
    TransactionSynchronizationRegistry transactions;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Bumped by every invalidation, so a read that raced with one does not put back what it read before. */
    private final AtomicLong generation = new AtomicLong();

    public Optional<RegistryMetadata.Repository> find(String name) {
        Entry e = fresh(name);
        if (e != null) {
            return Optional.of(e.repository());
        }
        long seen = generation.get();
        Optional<RegistryMetadata.Repository> found = metadata.repository(name);
        found.ifPresent(r -> remember(r, seen));
        return found;
    }

    /** The repository, created private on first push. */
    public RegistryMetadata.Repository ensure(String name, String tenant) {
        Entry e = fresh(name);
        if (e != null) {
            return e.repository();
        }
        long seen = generation.get();
        RegistryMetadata.Repository r = metadata.ensureRepository(name, tenant);
        remember(r, seen);
        return r;
    }

    /** Drops {@code name} now and again when the current transaction (which changes it) has ended. */
    public void forget(String name) {
        invalidate(name);
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    invalidate(name);
                }
            });
        }
    }

    private void invalidate(String name) {
        generation.incrementAndGet();
        entries.remove(name);
    }

    private Entry fresh(String name) {
        Entry e = entries.get(name);
        return e != null && System.nanoTime() - e.loadedAt() < config.lookupCacheTtl().toNanos() ? e : null;
    }

    private void remember(RegistryMetadata.Repository r, long seen) {
        if (config.lookupCacheTtl().isZero()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(r.name(), new Entry(r, System.nanoTime()));
        // an invalidation ran while the row was read: what was read may predate it
        if (generation.get() != seen) {
            entries.remove(r.name());
        }
    }
}
