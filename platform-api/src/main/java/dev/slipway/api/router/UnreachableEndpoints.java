package dev.slipway.api.router;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Endpoints that recently refused a connection, so other requests skip them for a short cooldown instead of each
 * paying a failed connect until the worker's report removes the instance from the table. A hint only: when every
 * endpoint is cooling down, requests still try them.
 */
final class UnreachableEndpoints {

    private final ConcurrentHashMap<Endpoint, Long> until = new ConcurrentHashMap<>();
    private final long cooldownNanos;
    private final LongSupplier clock;

    UnreachableEndpoints(Duration cooldown) {
        this(cooldown, System::nanoTime);
    }

    UnreachableEndpoints(Duration cooldown, LongSupplier nanoClock) {
        this.cooldownNanos = cooldown.toNanos();
        this.clock = nanoClock;
    }

    void markUnreachable(Endpoint endpoint) {
        until.put(endpoint, clock.getAsLong() + cooldownNanos);
    }

    void markReachable(Endpoint endpoint) {
        if (!until.isEmpty()) {
            until.remove(endpoint);
        }
    }

    boolean isCoolingDown(Endpoint endpoint) {
        Long deadline = until.get(endpoint);
        if (deadline == null) {
            return false;
        }
        if (clock.getAsLong() - deadline >= 0) {
            until.remove(endpoint, deadline);
            return false;
        }
        return true;
    }
}
