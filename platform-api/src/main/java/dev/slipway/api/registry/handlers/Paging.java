package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The spec's {@code n}/{@code last} paging and its {@code Link: <...>; rel="next"} header. */
final class Paging {

    static final int MAX = 1000;

    private Paging() {
    }

    static int limit(RegistryRequest request) {
        String n = request.param("n");
        if (n == null) {
            return MAX;
        }
        try {
            int v = Integer.parseInt(n);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return Math.min(v, MAX);
        } catch (NumberFormatException e) {
            throw new RegistryException(RegistryError.SIZE_INVALID, "n must be a non-negative number");
        }
    }

    static String next(String path, int n, String last) {
        return "<" + path + "?n=" + n + "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8) + ">; rel=\"next\"";
    }
}
