package dev.slipway.api.router;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every app's {@link Route}, in memory, keyed by the name it is reached by. The request path only reads it
 * ({@link #lookup}: one hash lookup, no lock, no database); {@link RouteRefresher} is its only writer and calls
 * {@link #replaceAll} and {@link #replace} from one thread, so writes never race each other. A reader may see a
 * table halfway through a full replacement: each entry is always a complete, consistent Route.
 */
@ApplicationScoped
public class RouteTable {

    private final Map<AppAddress, Route> byAddress = new ConcurrentHashMap<>();
    private final Map<UUID, AppAddress> addressOfApp = new ConcurrentHashMap<>();

    /** The route for a name, or null when no such app exists (in that tenant). */
    public Route lookup(AppAddress address) {
        return byAddress.get(address);
    }

    /** Installs the routes of a complete read of the database; apps not in it are gone. */
    void replaceAll(Collection<Route> routes) {
        Set<UUID> seen = new HashSet<>();
        for (Route route : routes) {
            replace(route.appId(), route);
            seen.add(route.appId());
        }
        for (UUID appId : Set.copyOf(addressOfApp.keySet())) {
            if (!seen.contains(appId)) {
                replace(appId, null);
            }
        }
    }

    /** Installs one app's route, or removes the app when {@code route} is null (deleted). */
    void replace(UUID appId, Route route) {
        AppAddress previous = route == null ? addressOfApp.remove(appId) : addressOfApp.put(appId, route.address());
        if (route != null) {
            byAddress.put(route.address(), route);
        }
        // Only drop the old name if it still points at this app (a tenant re-created under the name may own it now).
        if (previous != null && (route == null || !previous.equals(route.address()))) {
            byAddress.computeIfPresent(previous, (address, existing) -> existing.appId().equals(appId) ? null : existing);
        }
    }

    int size() {
        return byAddress.size();
    }
}
