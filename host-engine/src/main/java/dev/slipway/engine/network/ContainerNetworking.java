package dev.slipway.engine.network;

import dev.slipway.engine.runtime.RuntimeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * Gives containers their network, by network mode: {@code none} (own namespace, only lo), {@code host} (the
 * host's namespace), {@code default}/{@code bridge} (own namespace on the engine's bridge).
 *
 * Lifecycle, driven by the container service:
 * <ol>
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
    record Endpoint(String network, String address, int prefixLength, String gateway, String macAddress) {
    }

    RuntimeSpec.Network prepare(String containerId, String networkMode, String hostname, Path rootfs)
            throws IOException;

    void teardown(String containerId) throws IOException;

    void release(String containerId) throws IOException;

    void recover(Collection<String> containerIds, Collection<String> runningIds) throws IOException;

    /** The container's bridge endpoint while it holds an address. */
    Optional<Endpoint> endpoint(String containerId);

    /**
     * Only the modes that need no host setup: {@code host}, and {@code none} for every other mode. For engines
     * built without a bridge (unit tests with fake runtimes).
     */
    static ContainerNetworking withoutBridge() {
        return new ContainerNetworking() {
            @Override
            public RuntimeSpec.Network prepare(String id, String mode, String hostname, Path rootfs) {
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
