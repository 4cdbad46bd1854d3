package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.engine.api.http.ApiError;
import dev.slipway.engine.network.NetworkOptions;
import dev.slipway.engine.network.PortBinding;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The networking parts of a create request: {@code HostConfig.PortBindings} ({@code -p}),
 * {@code HostConfig.PublishAllPorts} ({@code -P}), {@code ExposedPorts} and the aliases in
 * {@code NetworkingConfig.EndpointsConfig}. Malformed values are refused with 400 before anything is created.
 */
final class NetworkRequests {

    private NetworkRequests() {
    }

    static NetworkOptions options(JsonNode body) {
        JsonNode host = body.path("HostConfig");
        List<PortBinding> bindings = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = host.path("PortBindings").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode list = entry.getValue();
                if (!list.isArray() || list.isEmpty()) {
                    bindings.add(PortBinding.ofKey(entry.getKey(), "", 0));
                    continue;
                }
                for (JsonNode b : list) {
                    bindings.add(PortBinding.ofKey(entry.getKey(), Json.text(b, "HostIp"), hostPort(b)));
                }
            }
            for (Iterator<String> it = body.path("ExposedPorts").fieldNames(); it.hasNext(); ) {
                exposed.add(PortBinding.ofKey(it.next(), "", 0).containerKey());
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        List<String> aliases = new ArrayList<>();
        for (JsonNode endpoint : body.path("NetworkingConfig").path("EndpointsConfig")) {
            List<String> given = Json.strings(endpoint.path("Aliases"));
            if (given != null) {
                aliases.addAll(given);
            }
        }
        checkAliases(aliases);
        return new NetworkOptions(aliases, bindings, host.path("PublishAllPorts").asBoolean(), exposed);
    }

    /** Aliases are DNS names: letters, digits, '-', '_', '.'. */
    static void checkAliases(List<String> aliases) {
        if (aliases == null) {
            return;
        }
        for (String alias : aliases) {
            if (alias == null || !alias.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
                throw ApiError.badRequest("invalid network alias \"" + alias + "\": 1-63 letters, digits, '_', '.', "
                        + "'-', starting with a letter or digit");
            }
        }
    }

    /** "18080", "" (random) or a range "18080-18080" of one port; wider ranges are not supported. */
    private static int hostPort(JsonNode binding) {
        String text = Json.text(binding, "HostPort");
        if (text == null || text.isEmpty()) {
            return 0;
        }
        String[] range = text.split("-", -1);
        if (range.length == 2 && range[0].equals(range[1])) {
            text = range[0];
        } else if (range.length != 1) {
            throw new IllegalArgumentException("invalid host port \"" + text + "\": port ranges are not supported; "
                    + "publish each port on its own");
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid host port \"" + text + "\": must be 1-65535");
        }
    }
}
