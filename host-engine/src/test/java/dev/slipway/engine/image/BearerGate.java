package dev.slipway.engine.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token-auth front for a real registry (distribution's own token auth needs a certificate chain): {@code /token}
 * hands out a bearer token for the right basic credentials, answering {@code token} or {@code access_token} as
 * Docker Hub's and other token servers do; {@code /v2/...} demands that token with a Docker-style
 * {@code WWW-Authenticate: Bearer realm=...,service=...,scope=...} challenge and then forwards to the registry.
 * With {@code tamperBlobs}, blob bodies are altered on the way, to prove the client verifies digests.
 */
final class BearerGate implements AutoCloseable {

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String upstream;
    private final String credentials;
    private final String token = UUID.randomUUID().toString();
    final List<String> scopesRequested = new CopyOnWriteArrayList<>();
    volatile boolean useAccessTokenField;
    volatile boolean tamperBlobs;
    /** Send blob GETs to {@code /storage/} on another origin (localhost), which refuses any Authorization, as S3 does. */
    volatile boolean redirectBlobs;
    final List<String> storageRequests = new CopyOnWriteArrayList<>();

    BearerGate(String upstreamHost, String username, String password) throws IOException {
        this.upstream = "http://" + upstreamHost;
        this.credentials = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::forward);
        server.createContext("/storage/", this::storage);
        server.start();
    }

    /** The one token the gate accepts (what a token server would have issued). */
    String token() {
        return token;
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!credentials.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "application/json", "{\"details\":\"bad credentials\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        scopesRequested.add(query == null ? "" : query);
        String field = useAccessTokenField ? "access_token" : "token";
        send(exchange, 200, "application/json", ("{\"" + field + "\":\"" + token + "\",\"expires_in\":300}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void forward(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            String repository = path.replaceFirst("^/v2/", "").replaceFirst("/(manifests|blobs|tags)/.*$", "");
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host()
                    + "/token\",service=\"slipway-gate\",scope=\"repository:" + repository + ":pull\"");
            send(exchange, 401, "application/json",
                    "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (redirectBlobs && path.contains("/blobs/")) {
            exchange.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort()
                    + "/storage" + path + "?signature=test");
            send(exchange, 307, "text/plain", new byte[0]);
            return;
        }
        proxy(exchange, path);
    }

    private void storage(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        storageRequests.add(exchange.getRequestURI().toString() + " auth=" + authorization);
        if (authorization != null) {
            send(exchange, 400, "application/xml", "<Error>only one auth mechanism allowed</Error>"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        proxy(exchange, exchange.getRequestURI().getPath().substring("/storage".length()));
    }

    private void proxy(HttpExchange exchange, String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + path)).GET();
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            if (tamperBlobs && path.contains("/blobs/") && body.length > 0) {
                body = body.clone();
                body[body.length / 2] ^= 0x5a;
            }
            response.headers().firstValue("Docker-Content-Digest")
                    .ifPresent(d -> exchange.getResponseHeaders().add("Docker-Content-Digest", d));
            send(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/octet-stream"), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
