package dev.slipway.engine.agent;

import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.network.NetworkOptions;
import dev.slipway.engine.network.PortBinding;
import java.util.List;
import java.util.Optional;

/**
 * Where the platform's router reaches an instance ({@code host:port}), and what the instance's container must
 * publish for that. Chosen once per worker from {@code --advertise}:
 * <ul>
 *   <li>{@link #bridge}: the container's address on its bridge and the app's port. Nothing is published; only a
 *   router on this host (as with {@code ./slipway up}) reaches it.</li>
 *   <li>{@link #published}: the app's port is published on a free host port bound to the advertised address, and
 *   the endpoint is {@code <advertise>:<host port>}, so a router on another host reaches it. The engine holds the
 *   host port while the container runs and frees it when it stops.</li>
 * </ul>
 * The health check goes to the same endpoint, so a healthy instance is one the router can reach by that path.
 */
public interface EndpointResolver {

    Optional<String> endpoint(String containerId, int containerPort);

    /** What an instance listening on {@code appPort} (null: none) publishes when its container is created. */
    NetworkOptions publishing(Integer appPort);

    static EndpointResolver bridge(ContainerService containers) {
        return new EndpointResolver() {
            @Override
            public Optional<String> endpoint(String containerId, int port) {
                return containers.networkEndpoint(containerId)
                        .filter(e -> e.address() != null && !e.address().isEmpty())
                        .map(e -> e.address() + ":" + port);
            }

            @Override
            public NetworkOptions publishing(Integer appPort) {
                return NetworkOptions.NONE;
            }
        };
    }

    /** {@code advertise} is an IPv4 address of this host (checked by {@link PortBinding}). */
    static EndpointResolver published(ContainerService containers, String advertise) {
        new PortBinding("tcp", 1, advertise, 0);
        return new EndpointResolver() {
            @Override
            public Optional<String> endpoint(String containerId, int port) {
                return containers.publishedPorts(containerId).stream()
                        .filter(b -> b.containerPort() == port && b.protocol().equals("tcp") && b.hostPort() > 0)
                        .findFirst().map(b -> advertise + ":" + b.hostPort());
            }

            @Override
            public NetworkOptions publishing(Integer appPort) {
                if (appPort == null) {
                    return NetworkOptions.NONE;
                }
                // host port 0: the engine picks a free one at each start, so instances never clash
                return new NetworkOptions(List.of(), List.of(new PortBinding("tcp", appPort, advertise, 0)), false,
                        List.of());
            }
        };
    }
}
