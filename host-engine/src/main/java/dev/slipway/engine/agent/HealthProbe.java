package dev.slipway.engine.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP health check: GET {@code http://<endpoint><path>}; a 2xx or 3xx answer within the timeout is healthy.
 * The timeout bounds the whole probe, whatever part of the exchange stalls: probes run one at a time per
 * instance, so one stuck probe would hold back the instance's first healthy report (a deploy benchmark once saw a
 * first probe take 13 s).
 */
final class HealthProbe {

    /** Endpoints are on this host's bridges: a connect that takes longer lost its SYN, and a new probe is faster. */
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    private final HttpClient http;

    HealthProbe() {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build());
    }

    HealthProbe(HttpClient http) {
        this.http = http;
    }

    boolean check(String endpoint, Wire.HealthCheck check) {
        String path = check.path() == null || check.path().isEmpty() ? "/" : check.path();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        CompletableFuture<HttpResponse<Void>> answer = null;
        try {
            Duration timeout = Duration.ofSeconds(check.timeout());
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
                    .timeout(timeout).header("User-Agent", "slipway-health/1").GET().build();
            answer = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            int status = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            return status >= 200 && status < 400;
        } catch (ExecutionException | TimeoutException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (answer != null) {
                answer.cancel(true);
            }
        }
    }
}
