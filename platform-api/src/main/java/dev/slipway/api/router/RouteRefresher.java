package dev.slipway.api.router;

import dev.slipway.api.events.PlatformEvents;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the {@link RouteTable} in step with PostgreSQL: a full read at startup (before the router listens), one app
 * re-read on each {@code ROUTES_CHANGED} for it, a full read on {@code RESYNC}, and a full read every
 * {@code slipway.router.refresh-interval} because events are only hints.
 *
 * <p>All reads run on one thread of its own, so table writes never race and the event listener thread is never
 * held up by the database. Events for the same app that arrive while a read is pending coalesce into one read.
 */
@ApplicationScoped
public class RouteRefresher {

    private static final Logger LOG = Logger.getLogger(RouteRefresher.class.getName());

    private final RouteLoader loader;
    private final RouteTable table;
    private final RouterConfig config;
    private final PlatformEvents events;
    private final Map<UUID, Long> pendingApps = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;

    RouteRefresher(RouteLoader loader, RouteTable table, RouterConfig config, PlatformEvents events) {
        this.loader = loader;
        this.table = table;
        this.config = config;
        this.events = events;
    }

    // Before AppRouter starts listening (default priority), so the first request already finds every route.
    void onStart(@Observes @Priority(100) StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("router-refresh")
                .factory());
        table.replaceAll(loader.loadAll());
        events.subscribe(PlatformEvents.ROUTES_CHANGED, this::onRoutesChanged);
        long every = config.refreshInterval().toMillis();
        executor.scheduleWithFixedDelay(this::refreshAll, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void onRoutesChanged(String payload) {
        if (PlatformEvents.RESYNC.equals(payload)) {
            executor.execute(this::refreshAll);
            return;
        }
        UUID appId;
        try {
            appId = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            LOG.warning("ignoring ROUTES_CHANGED with a payload that is not an app id: " + payload);
            return;
        }
        if (pendingApps.putIfAbsent(appId, System.nanoTime()) == null) {
            executor.execute(() -> refreshOne(appId));
        }
    }

    private void refreshOne(UUID appId) {
        Long heardAt = pendingApps.remove(appId);
        try {
            Route route = loader.loadApp(appId).orElse(null);
            table.replace(appId, route);
            if (LOG.isLoggable(Level.FINE) && heardAt != null) {
                // deploy latency: from the NOTIFY reaching this replica to the new route serving requests
                LOG.fine(String.format("route of app %s (%s, %d endpoints) serving %.1f ms after its event", appId,
                        route == null ? "gone" : route.state(), route == null ? 0 : route.endpoints().size(),
                        (System.nanoTime() - heardAt) / 1e6));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "route refresh of app " + appId + " failed; the periodic refresh retries", e);
        }
    }

    private void refreshAll() {
        try {
            table.replaceAll(loader.loadAll());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "route table refresh failed; keeping the previous routes", e);
        }
    }
}
