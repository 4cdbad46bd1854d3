package dev.slipway.engine.api;

import dev.slipway.engine.network.ContainerNetworking.Endpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The NetworkSettings part of {@code docker inspect}: the container's bridge endpoint, when it has one. */
final class NetworkSettingsView {

    private NetworkSettingsView() {
    }

    static Map<String, Object> inspect(Optional<Endpoint> endpoint) {
        Map<String, Object> net = new LinkedHashMap<>();
        Map<String, Object> networks = new LinkedHashMap<>();
        net.put("Bridge", "");
        net.put("SandboxID", "");
        net.put("SandboxKey", "");
        net.put("Ports", Map.of());
        net.put("Gateway", endpoint.map(Endpoint::gateway).orElse(""));
        net.put("IPAddress", endpoint.map(Endpoint::address).orElse(""));
        net.put("IPPrefixLen", endpoint.map(Endpoint::prefixLength).orElse(0));
        net.put("MacAddress", endpoint.map(Endpoint::macAddress).orElse(""));
        endpoint.ifPresent(e -> networks.put(e.network(), Map.of("Gateway", e.gateway(), "IPAddress", e.address(),
                "IPPrefixLen", e.prefixLength(), "MacAddress", e.macAddress(), "NetworkID", e.network())));
        net.put("Networks", networks);
        return net;
    }
}
