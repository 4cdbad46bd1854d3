package dev.slipway.api.router;

import java.util.Optional;

/** Where one instance accepts connections, as its worker reported it ({@code host:port}). */
public record Endpoint(String host, int port) {

    /** Parses {@code host:port} or {@code [v6]:port}; empty for anything else (a bad report must not break routing). */
    static Optional<Endpoint> parse(String hostPort) {
        if (hostPort == null) {
            return Optional.empty();
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            return Optional.empty();
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            return port >= 1 && port <= 65535 && !host.isEmpty()
                    ? Optional.of(new Endpoint(host, port)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
