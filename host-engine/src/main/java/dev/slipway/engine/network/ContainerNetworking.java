package dev.slipway.engine.network;

import dev.slipway.engine.runtime.RuntimeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives containers their network, by network mode: {@code none} (own namespace, only lo), {@code host} (the
 * host's namespace), {@code default}/{@code bridge} (own namespace on the engine's bridge).
 *
 * Lifecycle, driven by the container service:
 * <ol>
 *   <li>{@link #attach} once, at create: which network(s) the container belongs to, kept until
 *       {@link #release}; {@link #connect}/{@link #disconnect} change that list;</li>
 *   <li>{@link #prepare} right before each start, with the rootfs mounted: takes (or keeps) the container's
 *       address, builds its namespace and interfaces, writes its network files into the rootfs, and says how the
 *       runtime joins it;</li>
 *   <li>{@link #teardown} after the container's process has ended (or its start failed): the namespace and its
 *       interfaces go, the address stays with the container (it gets it back at its next start);</li>
 *   <li>{@link #release} when the container is removed: everything, the address included;</li>
 *   <li>{@link #recover} once after an engine (re)start, with every container the engine knows: keeps the
 *       networking of running containers as it is, tears down what stopped containers left behind, and frees
 *       addresses of containers that no longer exist.</li>
 * </ol>
 * All methods are idempotent, so a crash between two steps is repaired by repeating the step.
 */
public interface ContainerNetworking {

    /** What the runtime and {@code docker inspect} need to know of a bridge-attached container. */
    record Endpoint(String network, String address, int prefixLength, String gateway, String macAddress,
                    String networkId, List<String> aliases) {
    }

    /**
     * At create: records the container's network (the mode's, or for a container labelled
     * {@code slipway.tenant=<t>} its tenant's network {@code tenant-<t>}, made on first use) and returns the
     * network mode to keep. Refuses an unknown network (NOT_FOUND) and another tenant's network (INVALID).
     */
    default String attach(String containerId, String name, String mode, List<String> aliases,
                          Map<String, String> labels) throws IOException {
        String m = mode == null || mode.isEmpty() ? "default" : mode;
        if (!List.of("default", "bridge", "none", "host").contains(m)) {
            throw new NetworkException(NetworkException.Reason.NOT_FOUND, "network " + m + " not found");
        }
        return m;
    }

    /** Every network endpoint of the container (the primary first) while it holds addresses. */
    default List<Endpoint> endpoints(String containerId) {
        return endpoint(containerId).map(List::of).orElse(List.of());
    }

    /** {@code docker network connect}: joins now if {@code running}, else at its next start. */
    default void connect(String containerId, String network, List<String> aliases, boolean running)
            throws IOException {
        throw new NetworkException(NetworkException.Reason.INVALID, "this engine has no user-defined networks");
    }

    default void disconnect(String containerId, String network, boolean running) throws IOException {
        throw new NetworkException(NetworkException.Reason.INVALID, "this engine has no user-defined networks");
    }

    /** The networks, pre-defined and user-defined ({@code docker network ls}). */
    default List<NetworkRecord> networks() {
        return List.of();
    }

    default NetworkRecord network(String ref) throws IOException {
        throw new NetworkException(NetworkException.Reason.NOT_FOUND, "network " + ref + " not found");
    }

    /** The containers attached to the network, by id. */
    default Map<String, Endpoint> members(String ref) throws IOException {
        return Map.of();
    }

    /** {@code docker network create}; {@code subnet} null for the next free /24 of the pool. */
    default NetworkRecord createNetwork(String name, String subnet, boolean internal, Map<String, String> labels)
            throws IOException {
        throw new NetworkException(NetworkException.Reason.INVALID, "this engine has no user-defined networks");
    }

    default void removeNetwork(String ref) throws IOException {
        throw new NetworkException(NetworkException.Reason.NOT_FOUND, "network " + ref + " not found");
    }

    RuntimeSpec.Network prepare(String containerId, String networkMode, String hostname, NetworkOptions options,
                                Path rootfs) throws IOException;

    void teardown(String containerId) throws IOException;

    void release(String containerId) throws IOException;

    void recover(Collection<String> containerIds, Collection<String> runningIds) throws IOException;

    /** The container's bridge endpoint while it holds an address. */
    Optional<Endpoint> endpoint(String containerId);

    /** The host ports the container holds while it runs (random ones resolved), empty otherwise. */
    default List<PortBinding> publishedPorts(String containerId) {
        return List.of();
    }

    /**
     * Only the modes that need no host setup: {@code host}, and {@code none} for every other mode. For engines
     * built without a bridge (unit tests with fake runtimes).
     */
    static ContainerNetworking withoutBridge() {
        return new ContainerNetworking() {
            @Override
            public RuntimeSpec.Network prepare(String id, String mode, String hostname, NetworkOptions options,
                                               Path rootfs) {
                return "host".equals(mode) ? new RuntimeSpec.Network.Host() : new RuntimeSpec.Network.None();
            }

            @Override
            public void teardown(String containerId) {
            }

            @Override
            public void release(String containerId) {
            }

            @Override
            public void recover(Collection<String> containerIds, Collection<String> runningIds) {
            }

            @Override
            public Optional<Endpoint> endpoint(String containerId) {
                return Optional.empty();
            }
        };
    }
}
