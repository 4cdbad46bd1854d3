package dev.slipway.engine.api;

import dev.slipway.engine.network.NetworkOptions;
import dev.slipway.engine.network.PortBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ports as Docker shows them: {@code ps}'s {@code Ports} list, inspect's {@code NetworkSettings.Ports} (what
 * {@code docker port} reads) and {@code HostConfig.PortBindings} (what was asked for).
 */
final class PortViews {

    private PortViews() {
    }

    /** One entry per published port, then one per exposed port that is not published. */
    static List<Map<String, Object>> summary(NetworkOptions options, List<PortBinding> published) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PortBinding p : published) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("IP", p.shownHostIp());
            m.put("PrivatePort", p.containerPort());
            m.put("PublicPort", p.hostPort());
            m.put("Type", p.protocol());
            out.add(m);
        }
        for (String key : options.exposedPorts()) {
            if (published.stream().noneMatch(p -> p.containerKey().equals(key))) {
                PortBinding exposed = PortBinding.ofKey(key, "", 0);
                out.add(Map.of("PrivatePort", exposed.containerPort(), "Type", exposed.protocol()));
            }
        }
        return out;
    }

    /** {@code {"8080/tcp": [{"HostIp": "0.0.0.0", "HostPort": "18080"}], "9090/tcp": null}}. */
    static Map<String, Object> inspect(NetworkOptions options, List<PortBinding> published) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : options.exposedPorts()) {
            out.put(key, null);
        }
        for (PortBinding p : published) {
            @SuppressWarnings("unchecked")
            List<Map<String, String>> list = (List<Map<String, String>>) out.get(p.containerKey());
            if (list == null) {
                list = new ArrayList<>();
                out.put(p.containerKey(), list);
            }
            list.add(Map.of("HostIp", p.shownHostIp(), "HostPort", String.valueOf(p.hostPort())));
        }
        return out;
    }

    static Map<String, Object> requested(NetworkOptions options) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PortBinding b : options.portBindings()) {
            @SuppressWarnings("unchecked")
            List<Map<String, String>> list = (List<Map<String, String>>) out.computeIfAbsent(b.containerKey(),
                    k -> new ArrayList<Map<String, String>>());
            list.add(Map.of("HostIp", b.hostIp(), "HostPort", b.hostPort() == 0 ? "" : String.valueOf(b.hostPort())));
        }
        return out;
    }
}
