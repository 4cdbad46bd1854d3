package dev.slipway.engine.namespace;

import dev.slipway.engine.runtime.RuntimeSpec.Network;

/**
 * How a container's network namespace is chosen, in the launcher's terms: a new namespace (only {@code lo},
 * which the launcher brings up, as Docker's none mode has it), the host's (no new namespace),
 * or an existing one joined by path (prepared by a network driver, e.g. a bridge with a veth inside).
 * The pid, mount, uts, ipc and cgroup namespaces are always new for a container.
 */
public final class NetworkNamespaces {
    private NetworkNamespaces() {
    }

    /** The launch spec's {@code net} value. */
    public static String specValue(Network network) {
        return switch (network) {
            case Network.None none -> "new";
            case Network.Host host -> "host";
            case Network.Join join -> {
                if (!join.netnsPath().isAbsolute()) {
                    throw new IllegalArgumentException("network namespace path must be absolute: " + join.netnsPath());
                }
                yield "join:" + join.netnsPath();
            }
        };
    }
}
