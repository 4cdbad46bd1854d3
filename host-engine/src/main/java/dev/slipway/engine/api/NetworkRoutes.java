package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.api.http.ApiError;
import dev.slipway.engine.api.http.Handler;
import dev.slipway.engine.api.http.HttpRequest;
import dev.slipway.engine.api.http.HttpResponse;
import dev.slipway.engine.api.http.Router;
import dev.slipway.engine.container.ContainerException;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.network.ContainerNetworking;
import dev.slipway.engine.network.ContainerNetworking.Endpoint;
import dev.slipway.engine.network.NetworkException;
import dev.slipway.engine.network.NetworkRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /networks} routes ({@code docker network create|ls|inspect|rm|connect|disconnect}), mapping HTTP onto
 * the engine's networking; connect and disconnect go through {@link ContainerService} so they cannot race a
 * container's start or stop.
 */
final class NetworkRoutes {

    private final ContainerService containers;
    private final ObjectMapper json;

    NetworkRoutes(ContainerService containers, ObjectMapper json) {
        this.containers = containers;
        this.json = json;
    }

    private ContainerNetworking networks() {
        return containers.networking();
    }

    void register(Router router) {
        router.add("GET", "/networks", mapped((rq, rs, p) -> list(rq, rs)))
                .add("POST", "/networks/create", mapped((rq, rs, p) -> create(rq, rs)))
                .add("GET", "/networks/{id}", mapped((rq, rs, p) -> inspect(rs, p[0])))
                .add("DELETE", "/networks/{id}", mapped((rq, rs, p) -> remove(rs, p[0])))
                .add("POST", "/networks/{id}/connect", mapped((rq, rs, p) -> connect(rq, rs, p[0])))
                .add("POST", "/networks/{id}/disconnect", mapped((rq, rs, p) -> disconnect(rq, rs, p[0])));
    }

    /** Network refusals become 404/409/400 like the container ones. */
    private static Handler mapped(Handler handler) {
        return ApiErrors.mapped((request, response, params) -> {
            try {
                handler.handle(request, response, params);
            } catch (NetworkException e) {
                throw ApiErrors.of(new ContainerException(switch (e.reason()) {
                    case NOT_FOUND -> ContainerException.Reason.NOT_FOUND;
                    case CONFLICT -> ContainerException.Reason.CONFLICT;
                    case INVALID -> ContainerException.Reason.INVALID;
                }, e.getMessage()));
            }
        });
    }

    private void list(HttpRequest request, HttpResponse response) throws Exception {
        Map<String, List<String>> filters = QueryFilters.parse(json, request.query("filters"),
                java.util.Set.of("name", "id", "label", "driver", "scope", "type"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (NetworkRecord n : networks().networks()) {
            if (matches(n, filters)) {
                out.add(view(n, false));
            }
        }
        response.json(200, out);
    }

    private static boolean matches(NetworkRecord n, Map<String, List<String>> filters) {
        for (var f : filters.entrySet()) {
            boolean any = f.getValue().stream().anyMatch(v -> switch (f.getKey()) {
                case "name" -> n.name().contains(v);
                case "id" -> n.id().startsWith(v);
                case "label" -> {
                    int eq = v.indexOf('=');
                    yield eq < 0 ? n.labels().containsKey(v) : v.substring(eq + 1).equals(n.labels().get(
                            v.substring(0, eq)));
                }
                case "driver" -> v.equals("bridge");
                case "scope" -> v.equals("local");
                case "type" -> v.equals(n.name().equals("bridge") ? "builtin" : "custom");
                default -> false;
            });
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private void create(HttpRequest request, HttpResponse response) throws Exception {
        JsonNode body = Json.body(json, request);
        String driver = Json.text(body, "Driver");
        if (driver != null && !driver.isEmpty() && !driver.equals("bridge")) {
            throw ApiError.badRequest("network driver " + driver + " is not supported (only bridge)");
        }
        JsonNode configs = body.path("IPAM").path("Config");
        String subnet = null;
        if (configs.isArray() && configs.size() > 1) {
            throw ApiError.badRequest("a network has one subnet; give --subnet once");
        }
        if (configs.isArray() && configs.size() == 1) {
            subnet = Json.text(configs.get(0), "Subnet");
            String gateway = Json.text(configs.get(0), "Gateway");
            if (gateway != null && !gateway.isEmpty()) {
                throw ApiError.badRequest("--gateway is not supported: the gateway is the subnet's first address");
            }
        }
        if (body.path("EnableIPv6").asBoolean()) {
            throw ApiError.badRequest("IPv6 networks are not supported");
        }
        NetworkRecord n = networks().createNetwork(Json.text(body, "Name"), subnet, body.path("Internal").asBoolean(),
                Json.labels(body.path("Labels")));
        response.json(201, Map.of("Id", n.id(), "Warning", ""));
    }

    private void inspect(HttpResponse response, String ref) throws Exception {
        response.json(200, view(networks().network(ref), true));
    }

    private Map<String, Object> view(NetworkRecord n, boolean withContainers) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", DockerTime.rfc3339(n.created()));
        m.put("Scope", "local");
        m.put("Driver", "bridge");
        m.put("EnableIPv6", false);
        m.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", List.of(Map.of(
                "Subnet", n.subnet().toString(),
                "Gateway", dev.slipway.engine.network.Ipv4Subnet.format(n.subnet().gateway())))));
        m.put("Internal", n.internal());
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        Map<String, Object> members = new LinkedHashMap<>();
        if (withContainers) {
            for (Map.Entry<String, Endpoint> e : networks().members(n.id()).entrySet()) {
                String name;
                try {
                    name = containers.get(e.getKey()).name();
                } catch (ContainerException gone) {
                    continue;
                }
                Endpoint ep = e.getValue();
                members.put(e.getKey(), Map.of("Name", name, "EndpointID", e.getKey(), "MacAddress", ep.macAddress(),
                        "IPv4Address", ep.address() + "/" + ep.prefixLength(), "IPv6Address", ""));
            }
        }
        m.put("Containers", members);
        m.put("Options", Map.of("com.docker.network.bridge.name", n.bridge()));
        m.put("Labels", n.labels());
        return m;
    }

    private void remove(HttpResponse response, String ref) throws Exception {
        networks().removeNetwork(ref);
        response.empty(204);
    }

    private void connect(HttpRequest request, HttpResponse response, String ref) throws Exception {
        JsonNode body = Json.body(json, request);
        String container = containerOf(body);
        List<String> aliases = Json.strings(body.path("EndpointConfig").path("Aliases"));
        NetworkRequests.checkAliases(aliases);
        NetworkRecord n = networks().network(ref);
        containers.connect(container, n.name(), aliases);
        response.empty(200);
    }

    private void disconnect(HttpRequest request, HttpResponse response, String ref) throws Exception {
        String container = containerOf(Json.body(json, request));
        NetworkRecord n = networks().network(ref);
        containers.disconnect(container, n.name());
        response.empty(200);
    }

    private static String containerOf(JsonNode body) {
        String container = Json.text(body, "Container");
        if (container == null || container.isEmpty()) {
            throw ApiError.badRequest("Container is required");
        }
        return container;
    }
}
