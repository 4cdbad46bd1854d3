package dev.slipway.api.registry;

import dev.slipway.api.registry.storage.BlobStore;
import dev.slipway.api.registry.storage.Digest;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Online garbage collection, safe while pushes go on. A push links its blobs before it puts the manifest that needs
 * them, and a blob committed or linked within the grace period is never touched, so a push in flight never loses a
 * blob. Steps: drop untagged manifests older than the grace period (unless an index or a referrer's subject keeps
 * them), drop blob links no manifest references and older than the grace period, then delete blobs that no
 * repository links and that are older than the grace period, from PostgreSQL first and then from storage.
 */
@ApplicationScoped
public class GarbageCollector {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);

    public record Result(int manifests, int links, int blobs, int uploads) {
    }

    @Inject
    RegistryMetadata metadata;

    @Inject
    BlobStore store;

    @Inject
    RegistryConfig config;

    @Scheduled(every = "${slipway.registry.gc.every:1h}", delayed = "${slipway.registry.gc.every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Result r = collect();
        LOG.infof("registry gc: %d manifests, %d links, %d blobs, %d uploads collected", r.manifests(), r.links(),
                r.blobs(), r.uploads());
    }

    public Result collect() {
        return collect(Instant.now().minus(config.gc().grace()));
    }

    /** Collects what is older than {@code before} (the grace period's start). */
    public synchronized Result collect(Instant before) {
        int manifests = metadata.deleteUntaggedManifests(before);
        int links = metadata.unlinkUnreferencedBlobs(before);
        int blobs = 0;
        for (String digest : metadata.orphanBlobs(before)) {
            if (metadata.forgetOrphanBlob(digest)) {
                Digest d = Digest.parse(digest);
                // The store's own time counts too: a re-commit of the same bytes refreshes it.
                var info = store.stat(d);
                if (info == null || info.committedAt().isBefore(before)) {
                    store.delete(d);
                    blobs++;
                }
            }
        }
        Set<String> stale = new HashSet<>(metadata.staleUploads(before.minus(config.gc().grace().multipliedBy(23))));
        int uploads = 0;
        for (String id : stale) {
            store.abort(id);
            metadata.deleteUpload(id);
            uploads++;
        }
        return new Result(manifests, links, blobs, uploads);
    }
}
