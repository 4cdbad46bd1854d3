package dev.slipway.engine.api;

import dev.slipway.engine.network.ContainerNetworking.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The NetworkSettings part of {@code docker inspect}: the container's endpoints, the primary one first. */
final class NetworkSettingsView {

    private NetworkSettingsView() {
    }

    static Map<String, Object> inspect(List<Endpoint> endpoints) {
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("Bridge", "");
        net.put("SandboxID", "");
        net.put("SandboxKey", "");
        net.put("Ports", Map.of());
        Endpoint primary = endpoints.isEmpty() ? null : endpoints.get(0);
        // the top-level fields are the default network's, as in Docker; empty for user-defined networks
        boolean onDefault = primary != null && primary.network().equals("bridge");
        net.put("Gateway", onDefault ? primary.gateway() : "");
        net.put("IPAddress", onDefault ? primary.address() : "");
        net.put("IPPrefixLen", onDefault ? primary.prefixLength() : 0);
        net.put("MacAddress", onDefault ? primary.macAddress() : "");
        net.put("Networks", networks(endpoints));
        return net;
    }

    static Map<String, Object> networks(List<Endpoint> endpoints) {
        Map<String, Object> networks = new LinkedHashMap<>();
        for (Endpoint e : endpoints) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Aliases", e.aliases().isEmpty() ? null : e.aliases());
            m.put("NetworkID", e.networkId());
            m.put("Gateway", e.gateway());
            m.put("IPAddress", e.address());
            m.put("IPPrefixLen", e.prefixLength());
            m.put("MacAddress", e.macAddress());
            networks.put(e.network(), m);
        }
        return networks;
    }
}
