package dev.slipway.engine.agent;

import dev.slipway.engine.container.ContainerService;
import java.util.Optional;

/**
 * Where the platform's router reaches an instance: {@code host:port}. Today that is the container's address on
 * the engine's bridge and the app's port, which the router can reach when it runs on this host (as with
 * {@code ./slipway up}).
 *
 * <p>Seam for published ports: once the engine publishes container ports on the host (helper "network"), a
 * worker started with {@code --advertise <address>} should report {@code <advertise>:<published host port>}
 * instead, so a router on another host can reach it. That implementation replaces {@link #bridge} in
 * {@code Agent}; nothing else changes.
 */
@FunctionalInterface
public interface EndpointResolver {

    Optional<String> endpoint(String containerId, int containerPort);

    static EndpointResolver bridge(ContainerService containers) {
        return (containerId, port) -> containers.networkEndpoint(containerId)
                .filter(e -> e.address() != null && !e.address().isEmpty())
                .map(e -> e.address() + ":" + port);
    }
}
