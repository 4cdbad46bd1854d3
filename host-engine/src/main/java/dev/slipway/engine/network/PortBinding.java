package dev.slipway.engine.network;

/**
 * One published port: a container port and protocol mapped to a port on the host. As asked for ({@code -p}),
 * {@code hostPort} 0 means "any free port"; once published it is the port actually held.
 *
 * @param protocol      {@code tcp} or {@code udp}
 * @param containerPort 1..65535
 * @param hostIp        the host address it listens on; empty for all of the host's addresses
 * @param hostPort      0..65535
 */
public record PortBinding(String protocol, int containerPort, String hostIp, int hostPort) {

    public PortBinding {
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
        hostIp = hostIp == null || hostIp.equals("0.0.0.0") ? "" : hostIp;
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("invalid protocol \"" + protocol + "\" for port " + containerPort
                    + ": only tcp and udp can be published");
        }
        if (containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("invalid container port " + containerPort + ": must be 1-65535");
        }
        if (hostPort < 0 || hostPort > 65535) {
            throw new IllegalArgumentException("invalid host port " + hostPort + ": must be 1-65535 (or empty for "
                    + "a random port)");
        }
        if (!hostIp.isEmpty()) {
            try {
                Ipv4Subnet.parseAddress(hostIp);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid host IP \"" + hostIp + "\" for port " + containerPort
                        + ": only IPv4 addresses can be published on");
            }
        }
    }

    /** Docker's key for the container side, e.g. {@code 8080/tcp}. */
    public String containerKey() {
        return containerPort + "/" + protocol;
    }

    /** The host address as Docker shows it ({@code 0.0.0.0} for all). */
    public String shownHostIp() {
        return hostIp.isEmpty() ? "0.0.0.0" : hostIp;
    }

    PortBinding withHostPort(int port) {
        return new PortBinding(protocol, containerPort, hostIp, port);
    }

    /** Parses Docker's container-side key: {@code 8080}, {@code 8080/tcp}, {@code 53/udp}. */
    public static PortBinding ofKey(String key, String hostIp, int hostPort) {
        int slash = key.indexOf('/');
        String port = slash < 0 ? key : key.substring(0, slash);
        String protocol = slash < 0 ? "tcp" : key.substring(slash + 1);
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid container port \"" + key + "\": expected PORT[/tcp|/udp]");
        }
        return new PortBinding(protocol, number, hostIp, hostPort);
    }
}
