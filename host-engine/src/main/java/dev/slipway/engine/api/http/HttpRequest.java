package dev.slipway.engine.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed HTTP/1.1 request. The body is exposed as a stream that ends where the request ends (Content-Length
 * or chunked), so the connection can be reused for the next request after it has been drained.
 */
public final class HttpRequest {

    private final String method;
    private final String path;
    private final String apiVersion;
    private final Map<String, List<String>> query;
    private final Map<String, String> headers;
    private final InputStream body;

    HttpRequest(String method, String path, String apiVersion, Map<String, List<String>> query,
                Map<String, String> headers, InputStream body) {
        this.method = method;
        this.path = path;
        this.apiVersion = apiVersion;
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    public String method() {
        return method;
    }

    /** The path with any {@code /v1.xx} prefix removed. */
    public String path() {
        return path;
    }

    /** The API version the client asked for in the path, or null when it gave none. */
    public String apiVersion() {
        return apiVersion;
    }

    /** Lower-case header name to value. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    public String query(String name, String fallback) {
        String value = query(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** Docker's boolean query convention: "1", "true" (any case) are true; absent, "", "0", "false" false. */
    public boolean flag(String name) {
        String value = query(name);
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    public InputStream body() {
        return body;
    }

    public byte[] bodyBytes() throws IOException {
        return body.readAllBytes();
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            result.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
