package dev.slipway.engine.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The host's IPv4 routes (all tables), read with {@code ip -4 route show table all}, to keep pools clear of them. */
final class HostRoutes {

    private static final Set<String> ROUTE_TYPES = Set.of("unicast", "local", "broadcast", "multicast", "throw",
            "unreachable", "prohibit", "blackhole", "nat", "anycast");

    record Route(Ipv4Subnet destination, String device, String line) {
    }

    private HostRoutes() {
    }

    static List<Route> read() throws IOException {
        return parse(HostCommand.run(List.of("ip", "-4", "-o", "route", "show", "table", "all")));
    }

    static List<Route> parse(String output) {
        List<Route> routes = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length == 0 || t[0].isEmpty()) {
                continue;
            }
            int i = ROUTE_TYPES.contains(t[0]) ? 1 : 0;
            if (i >= t.length || t[i].equals("default")) {
                continue;
            }
            Ipv4Subnet destination;
            try {
                destination = t[i].contains("/") ? Ipv4Subnet.parse(t[i])
                        : new Ipv4Subnet(Ipv4Subnet.parseAddress(t[i]), 32);
            } catch (IllegalArgumentException e) {
                continue;
            }
            String device = "";
            for (int j = i + 1; j + 1 < t.length; j++) {
                if (t[j].equals("dev")) {
                    device = t[j + 1];
                }
            }
            routes.add(new Route(destination, device, line.trim()));
        }
        return routes;
    }

    /** The first route, other than those through {@code ownDevice}, that overlaps {@code pool}. */
    static Optional<Route> overlapping(List<Route> routes, Ipv4Subnet pool, String ownDevice) {
        return routes.stream().filter(r -> !r.device().equals(ownDevice))
                .filter(r -> r.destination().overlaps(pool)).findFirst();
    }
}
