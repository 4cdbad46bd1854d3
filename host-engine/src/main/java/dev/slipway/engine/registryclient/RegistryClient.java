package dev.slipway.engine.registryclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.content.Digest;
import dev.slipway.engine.image.ImageException;
import dev.slipway.engine.image.ImageException.Reason;
import dev.slipway.engine.image.ImageStore.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A client of the OCI distribution API (pull side): manifests and blobs, with the Docker auth flow. A request
 * answered 401 is retried once with what its {@code WWW-Authenticate} asks for: Basic with the given
 * credentials, or Bearer with a token fetched from the challenge's {@code realm} (query {@code service} and
 * {@code scope}; credentials, if any, as Basic; answer's {@code token} or {@code access_token}).
 *
 * <p>Registries on loopback ({@code localhost}, {@code 127.*}, {@code [::1]}) and hosts named insecure are spoken
 * to over plain http, all others over https, as Docker does. {@code docker.io} means
 * {@code registry-1.docker.io}.
 */
public final class RegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Set<String> insecureHosts;

    public RegistryClient() {
        this(Set.of());
    }

    /** {@code insecureHosts}: {@code host[:port]}s to reach over plain http besides loopback. */
    public RegistryClient(Set<String> insecureHosts) {
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(15)).build();
        this.insecureHosts = Set.copyOf(insecureHosts);
    }

    /** A conversation with one repository of one registry; keeps the token it earns. Not thread-safe. */
    public Session session(String domain, String repository, RegistryCredentials credentials) {
        return new Session(domain, repository, credentials);
    }

    /** A fetched manifest: body, Content-Type, and the registry's Docker-Content-Digest (may be null). */
    public record Fetched(byte[] body, String contentType, String contentDigest) {
    }

    public final class Session {
        private final String base;
        private final String repository;
        private final RegistryCredentials credentials;
        private String authorization;

        private Session(String domain, String repository, RegistryCredentials credentials) {
            String host = domain.equals("docker.io") ? "registry-1.docker.io" : domain;
            this.base = (insecure(host) ? "http://" : "https://") + host + "/v2/";
            this.repository = repository;
            this.credentials = credentials;
            if (credentials != null && credentials.registryToken() != null) {
                authorization = "Bearer " + credentials.registryToken();
            }
        }

        /** GETs a manifest by tag or digest. */
        public Fetched manifest(String reference, String accept) throws IOException, ImageException {
            HttpResponse<byte[]> response = send(URI.create(base + repository + "/manifests/" + reference), accept,
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw failure(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8),
                        "manifest " + repository + ":" + reference);
            }
            return new Fetched(response.body(), response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Docker-Content-Digest").orElse(null));
        }

        /** GETs a blob as a stream; the caller verifies it (the content store does). */
        public InputStream blob(Digest digest) throws IOException, ImageException {
            HttpResponse<InputStream> response = send(URI.create(base + repository + "/blobs/" + digest), "*/*",
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                }
                throw failure(response.statusCode(), body, "blob " + digest);
            }
            return response.body();
        }

        private <T> HttpResponse<T> send(URI uri, String accept, HttpResponse.BodyHandler<T> handler)
                throws IOException, ImageException {
            HttpResponse<T> response = get(uri, accept, handler);
            if (response.statusCode() != 401) {
                return response;
            }
            discard(response);
            if (credentials != null && credentials.registryToken() != null) {
                // a pre-issued token cannot be renewed here: the registry refused it (expired, wrong scope)
                throw new ImageException(Reason.UNAUTHORIZED, "registry " + base + " refused the pre-issued token for "
                        + repository + " (expired or not valid for this repository)");
            }
            authorize(response.headers().allValues("WWW-Authenticate"));
            response = get(uri, accept, handler);
            if (response.statusCode() == 401) {
                discard(response);
                throw new ImageException(Reason.UNAUTHORIZED, "registry " + base + " refused the credentials for "
                        + repository);
            }
            return response;
        }

        private void authorize(List<String> headers) throws IOException, ImageException {
            List<AuthChallenge> challenges = headers.stream().flatMap(h -> AuthChallenge.parse(h).stream()).toList();
            Optional<AuthChallenge> bearer = challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst();
            if (bearer.isPresent()) {
                authorization = "Bearer " + token(bearer.get());
                return;
            }
            if (challenges.stream().anyMatch(c -> c.scheme().equals("basic"))) {
                if (credentials == null) {
                    throw new ImageException(Reason.UNAUTHORIZED, "registry " + base
                            + " requires credentials (docker login)");
                }
                authorization = basic(credentials);
                return;
            }
            throw new ImageException(Reason.UNAUTHORIZED, "registry " + base + " answered 401 without a usable "
                    + "WWW-Authenticate challenge: " + headers);
        }

        private String token(AuthChallenge challenge) throws IOException, ImageException {
            String realm = challenge.params().get("realm");
            if (realm == null) {
                throw new ImageException(Reason.REGISTRY_ERROR, "bearer challenge without realm from " + base);
            }
            StringBuilder query = new StringBuilder();
            String service = challenge.params().get("service");
            if (service != null) {
                query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
            }
            String scope = challenge.params().getOrDefault("scope", "repository:" + repository + ":pull");
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
            URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).GET();
            if (credentials != null) {
                request.header("Authorization", basic(credentials));
            }
            HttpResponse<byte[]> response = call(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new ImageException(Reason.UNAUTHORIZED, "token server " + realm + " refused the credentials");
            }
            if (response.statusCode() != 200) {
                throw new ImageException(Reason.REGISTRY_ERROR, "token server " + realm + " answered "
                        + response.statusCode());
            }
            JsonNode body = JSON.readTree(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new ImageException(Reason.REGISTRY_ERROR, "token server " + realm + " returned no token");
            }
            return token;
        }

        /**
         * GETs {@code uri}, following redirects by hand: the registry's Authorization goes only to the registry's
         * own host, never to the storage a blob redirect points at (S3 and the like refuse a second auth).
         */
        private <T> HttpResponse<T> get(URI uri, String accept, HttpResponse.BodyHandler<T> handler)
                throws IOException, ImageException {
            URI target = uri;
            for (int hops = 0; hops < 10; hops++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(30))
                        .header("Accept", accept).GET();
                if (authorization != null && sameOrigin(target, uri)) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<T> response = call(request.build(), handler);
                int status = response.statusCode();
                Optional<String> location = response.headers().firstValue("Location");
                if (status < 300 || status >= 400 || status == 304 || location.isEmpty()) {
                    return response;
                }
                discard(response);
                target = target.resolve(location.get());
            }
            throw new ImageException(Reason.REGISTRY_ERROR, "too many redirects from " + uri);
        }
    }

    private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, ImageException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to " + request.uri(), e);
        } catch (IOException e) {
            throw new ImageException(Reason.REGISTRY_ERROR, "cannot reach " + request.uri().getHost() + ":"
                    + request.uri().getPort() + ": " + e, e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && a.getHost().equals(b.getHost()) && a.getPort() == b.getPort();
    }

    private boolean insecure(String host) {
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return insecureHosts.contains(host) || name.equals("localhost") || name.startsWith("127.")
                || name.equals("[::1]");
    }

    private static String basic(RegistryCredentials credentials) {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.username() + ":" + credentials.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void discard(HttpResponse<?> response) throws IOException {
        if (response.body() instanceof InputStream in) {
            in.close();
        }
    }

    /** Maps a registry error status to the store's reasons, quoting the registry's own error message. */
    private static ImageException failure(int status, String body, String what) {
        String message = body;
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                message = errors.get(0).path("code").asText() + ": " + errors.get(0).path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not the spec's JSON error: quote the body as it is
        }
        Reason reason = switch (status) {
            case 404 -> Reason.NOT_FOUND;
            case 401, 403 -> Reason.UNAUTHORIZED;
            default -> Reason.REGISTRY_ERROR;
        };
        return new ImageException(reason, what + ": registry answered " + status + " " + message.strip());
    }
}
