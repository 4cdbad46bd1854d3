package dev.slipway.api.scheduler;

import dev.slipway.api.events.PlatformEvents;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/** What one scheduling pass changed, so it can tell the workers' sessions and the router once, at commit. */
final class Touched {

    private final Set<UUID> workers = new LinkedHashSet<>();
    private final Set<UUID> apps = new LinkedHashSet<>();

    void worker(UUID workerId) {
        if (workerId != null) {
            workers.add(workerId);
        }
    }

    void routes(UUID appId) {
        apps.add(appId);
    }

    boolean any() {
        return !workers.isEmpty() || !apps.isEmpty();
    }

    void publish(PlatformEvents events) {
        workers.forEach(w -> events.publish(PlatformEvents.WORKER_CHANGED, w.toString()));
        apps.forEach(a -> events.publish(PlatformEvents.ROUTES_CHANGED, a.toString()));
    }
}
