package dev.slipway.engine.network;

import java.util.List;

/**
 * The networking a container was created with, beyond its network mode: names other containers may use for it,
 * and the ports to publish at each start.
 *
 * @param aliases         extra DNS names on its networks ({@code --network-alias})
 * @param portBindings    {@code -p} requests
 * @param publishAllPorts {@code -P}: publish every exposed port on a random host port
 * @param exposedPorts    the image's and the request's exposed ports, as {@code 8080/tcp}
 */
public record NetworkOptions(List<String> aliases, List<PortBinding> portBindings, boolean publishAllPorts,
                             List<String> exposedPorts) {

    public static final NetworkOptions NONE = new NetworkOptions(List.of(), List.of(), false, List.of());

    public NetworkOptions {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        portBindings = portBindings == null ? List.of() : List.copyOf(portBindings);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    }

    /** What to publish at a start: every binding asked for, then with -P each exposed port not bound yet. */
    public List<PortBinding> wanted() {
        List<PortBinding> wanted = new java.util.ArrayList<>(portBindings);
        if (publishAllPorts) {
            for (String key : exposedPorts) {
                PortBinding any = PortBinding.ofKey(key, "", 0);
                if (wanted.stream().noneMatch(b -> b.containerKey().equals(any.containerKey()))) {
                    wanted.add(any);
                }
            }
        }
        return wanted;
    }
}
