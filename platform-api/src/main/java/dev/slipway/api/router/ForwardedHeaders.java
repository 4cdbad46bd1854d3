package dev.slipway.api.router;

import io.vertx.core.MultiMap;
import java.util.regex.Pattern;

/**
 * What the router tells an app about the original request: {@code X-Forwarded-For/Proto/Host/Port}, the standard
 * {@code Forwarded} (RFC 7239) and a request id. At the edge (the default) any such headers the client sent are
 * replaced, so a client cannot make an app believe it comes from another address; behind a trusted load balancer
 * ({@code trust-forwarded-headers}) the incoming values are kept and the router adds its own hop.
 */
final class ForwardedHeaders {

    static final String REQUEST_ID = "X-Request-Id";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String[] FORWARDING = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
        "x-forwarded-port", "forwarded"};

    private final boolean trustIncoming;

    ForwardedHeaders(boolean trustIncoming) {
        this.trustIncoming = trustIncoming;
    }

    /** A request id from the client when it is a short safe token (so logs can follow a request across hops), else a fresh one. */
    String requestId(MultiMap incoming) {
        String given = incoming.get(REQUEST_ID);
        return given != null && SAFE_REQUEST_ID.matcher(given).matches() ? given
                : java.util.UUID.randomUUID().toString();
    }

    /**
     * Adds the forwarding headers to {@code outgoing} (already a hop-by-hop-free copy of the request headers).
     *
     * @param clientAddress the peer's IP address
     * @param host the request's Host header as received
     * @param port the port the client connected to, as the Host header says (or the router's port)
     */
    void apply(MultiMap outgoing, String clientAddress, String host, int port, String requestId) {
        String priorFor = outgoing.get("x-forwarded-for");
        String priorForwarded = outgoing.get("forwarded");
        String proto = trustIncoming && outgoing.contains("x-forwarded-proto") ? outgoing.get("x-forwarded-proto") : "http";
        String originalHost = trustIncoming && outgoing.contains("x-forwarded-host") ? outgoing.get("x-forwarded-host") : host;
        String originalPort = trustIncoming && outgoing.contains("x-forwarded-port") ? outgoing.get("x-forwarded-port")
                : Integer.toString(port);
        for (String name : FORWARDING) {
            outgoing.remove(name);
        }
        outgoing.set("X-Forwarded-For", trustIncoming && priorFor != null ? priorFor + ", " + clientAddress : clientAddress);
        outgoing.set("X-Forwarded-Proto", proto);
        outgoing.set("X-Forwarded-Host", originalHost);
        outgoing.set("X-Forwarded-Port", originalPort);
        String hop = "for=" + forwardedNode(clientAddress) + ";host=" + quoted(host) + ";proto=http";
        outgoing.set("Forwarded", trustIncoming && priorForwarded != null ? priorForwarded + ", " + hop : hop);
        outgoing.set(REQUEST_ID, requestId);
    }

    /** RFC 7239 node: IPv6 addresses are bracketed and quoted. */
    private static String forwardedNode(String address) {
        return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
    }

    private static String quoted(String value) {
        return value.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-')
                ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
