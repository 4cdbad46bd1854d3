package dev.slipway.api.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Lets the dashboard own its URLs: a browser GET (one that accepts {@code text/html}) of a path outside the
 * machine-facing prefixes that is not one of the dashboard's files gets the dashboard's {@code index.html} (from
 * the platform-ui jar), and the client-side router takes over. It runs before the other routes
 * ({@link #ROUTE_ORDER}) because Quarkus' REST and static-file handlers answer 404 themselves instead of passing
 * unknown paths on; every endpoint lives under a machine prefix, so none is shadowed.
 */
@ApplicationScoped
public class SpaFallback {

    static final int ROUTE_ORDER = -500;
    static final String INDEX = "META-INF/resources/index.html";
    private static final List<String> MACHINE_PREFIXES = List.of("/api/", "/q/", "/v2/", "/git/");

    private volatile Buffer index;

    void install(@Observes Router router) {
        router.get().order(ROUTE_ORDER).handler(this::serve);
    }

    private void serve(RoutingContext context) {
        String path = context.normalizedPath();
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        Buffer page = index();
        if (page == null || accept == null || !accept.contains("text/html") || isFileOrRoot(path)
                || MACHINE_PREFIXES.stream().anyMatch(p -> path.startsWith(p) || path.equals(p.substring(0, p.length() - 1)))) {
            context.next();
            return;
        }
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(page);
    }

    private static boolean isFileOrRoot(String path) {
        return path.equals("/") || Thread.currentThread().getContextClassLoader()
                .getResource("META-INF/resources" + path) != null;
    }

    private Buffer index() {
        if (index == null) {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(INDEX)) {
                index = in == null ? null : Buffer.buffer(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return index;
    }
}
