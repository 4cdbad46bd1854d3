package dev.slipway.engine.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One HTTP health check: GET {@code http://<endpoint><path>}; a 2xx or 3xx answer within the timeout is healthy. */
final class HealthProbe {

    private final HttpClient http;

    HealthProbe(HttpClient http) {
        this.http = http;
    }

    boolean check(String endpoint, Wire.HealthCheck check) {
        String path = check.path() == null || check.path().isEmpty() ? "/" : check.path();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
                    .timeout(Duration.ofSeconds(check.timeout())).header("User-Agent", "slipway-health/1").GET()
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() >= 200 && response.statusCode() < 400;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
