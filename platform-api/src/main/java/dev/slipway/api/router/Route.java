package dev.slipway.api.router;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One app's entry in the {@link RouteTable}: the endpoints requests go to now, or (when there are none) the state
 * the 503 page names. Immutable except for the round-robin cursor; a change in the database produces a new Route.
 */
public final class Route {

    private final UUID appId;
    private final AppAddress address;
    private final String state;
    private final List<Endpoint> endpoints;
    // Starts at a random place so that several routers (or a fresh table) do not all hit the first endpoint first.
    private final AtomicInteger cursor = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

    Route(UUID appId, AppAddress address, String state, List<Endpoint> endpoints) {
        this.appId = appId;
        this.address = address;
        this.state = state;
        this.endpoints = List.copyOf(endpoints);
    }

    public UUID appId() {
        return appId;
    }

    public AppAddress address() {
        return address;
    }

    /** {@code running} when there are endpoints; else why not, e.g. {@code deploying}, {@code crash-loop}. */
    public String state() {
        return state;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /**
     * The next endpoint in round-robin order that this request has not tried yet, preferring ones that have not
     * refused a connection recently; null when every endpoint has been tried.
     */
    Endpoint next(Set<Endpoint> tried, UnreachableEndpoints unreachable) {
        int n = endpoints.size();
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        Endpoint fallback = null;
        for (int i = 0; i < n; i++) {
            Endpoint candidate = endpoints.get((start + i) % n);
            if (tried.contains(candidate)) {
                continue;
            }
            if (!unreachable.isCoolingDown(candidate)) {
                return candidate;
            }
            if (fallback == null) {
                fallback = candidate;
            }
        }
        return fallback;
    }
}
