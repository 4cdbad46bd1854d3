package dev.slipway.api.logs;

import dev.slipway.api.events.PlatformEvents;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * This replica's live feeds, one per app that someone follows. Lines stored by this replica wake the feed
 * directly; lines stored by another replica arrive as a NOTIFY on {@link LogStore#CHANNEL} through
 * {@link PlatformEvents}, and every feed also re-reads on a timer, so several API replicas serve followers no
 * matter which replica holds the worker's stream.
 */
@ApplicationScoped
public class LogFeeds {

    @Inject
    LogStore store;

    @Inject
    PlatformEvents events;

    private final Map<UUID, AppFeed> feeds = new HashMap<>();

    void onStart(@Observes StartupEvent event) {
        events.subscribe(PlatformEvents.LOGS, payload -> {
            if (PlatformEvents.RESYNC.equals(payload)) {
                wakeAll();
            } else {
                try {
                    wake(UUID.fromString(payload));
                } catch (IllegalArgumentException ignored) {
                    // not an app id: nothing to wake
                }
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (feeds) {
            feeds.values().forEach(AppFeed::stop);
            feeds.clear();
        }
    }

    /** Attaches a viewer to the app's feed (creating it) and returns the position after which it is fed. */
    long attach(UUID appId, LogViewer viewer) {
        synchronized (feeds) {
            return feeds.computeIfAbsent(appId, id -> new AppFeed(id, store)).attach(viewer);
        }
    }

    void detach(UUID appId, LogViewer viewer) {
        synchronized (feeds) {
            AppFeed feed = feeds.get(appId);
            if (feed != null) {
                feed.detach(viewer);
                if (feed.idle()) {
                    feeds.remove(appId);
                    feed.stop();
                }
            }
        }
    }

    public void wake(UUID appId) {
        AppFeed feed;
        synchronized (feeds) {
            feed = feeds.get(appId);
        }
        if (feed != null) {
            feed.wake();
        }
    }

    private void wakeAll() {
        synchronized (feeds) {
            feeds.values().forEach(AppFeed::wake);
        }
    }
}
