package dev.slipway.api.router;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that describe one connection rather than the message (RFC 9110 section 7.6.1), which a proxy must not
 * pass on: the fixed list plus every header the {@code Connection} header names.
 */
final class HopByHopHeaders {

    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHopHeaders() {
    }

    /** Copies {@code from} into {@code to} without hop-by-hop headers. */
    static void copyEndToEnd(MultiMap from, MultiMap to) {
        Set<String> named = connectionTokens(from);
        for (var header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!ALWAYS.contains(name) && !named.contains(name)) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    /** Whether the message asks to switch protocols ({@code Connection: upgrade} plus an {@code Upgrade} header). */
    static boolean isUpgrade(MultiMap headers) {
        return headers.contains("upgrade") && connectionTokens(headers).contains("upgrade");
    }

    private static Set<String> connectionTokens(MultiMap headers) {
        var values = headers.getAll("connection");
        if (values.isEmpty()) {
            return Set.of();
        }
        var tokens = new java.util.HashSet<String>();
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
