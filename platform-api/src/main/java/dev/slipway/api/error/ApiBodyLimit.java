package dev.slipway.api.error;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Caps request bodies under {@code /api/} only. Quarkus' own {@code quarkus.http.limits.max-body-size} applies to
 * every path, but registry uploads under {@code /v2/} are legitimately large, so that global limit stays high and
 * this filter enforces the small API limit from the declared {@code Content-Length}, before any byte of the body
 * is read. A body without a declared length (HTTP/1.1 chunked, or an HTTP/2 stream with data to come) is refused
 * with 411: the API cannot bound it up front.
 */
@ApplicationScoped
public class ApiBodyLimit {

    /** Runs before the REST layer and before authentication: a too-large body is refused without work. */
    static final int ROUTE_ORDER = -1_000;

    @ConfigProperty(name = "slipway.api.max-body-bytes")
    long maxBodyBytes;

    /** A worker's join request (outside /api, unauthenticated until its token is checked) has its own small cap. */
    @ConfigProperty(name = "slipway.workers.join-max-body-bytes", defaultValue = "16384")
    long maxJoinBodyBytes;

    void install(@Observes Router router) {
        router.route("/api/*").order(ROUTE_ORDER).handler(context -> check(context, maxBodyBytes));
        router.route("/worker/v1/join").order(ROUTE_ORDER).handler(context -> check(context, maxJoinBodyBytes));
    }

    private void check(RoutingContext context, long maxBodyBytes) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        String encoding = context.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                reject(context, 400, "BAD_REQUEST", "Content-Length is not a number");
                return;
            }
            if (declared > maxBodyBytes) {
                reject(context, 413, "PAYLOAD_TOO_LARGE",
                        "request body of " + declared + " bytes exceeds the API limit of " + maxBodyBytes + " bytes");
                return;
            }
        } else if (hasBodyMethod(context.request().method()) && (encoding != null
                || context.request().version() == HttpVersion.HTTP_2 && !context.request().isEnded())) {
            reject(context, 411, "LENGTH_REQUIRED", "send the body with a Content-Length header");
            return;
        }
        context.next();
    }

    private static boolean hasBodyMethod(HttpMethod method) {
        return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.DELETE
                && method != HttpMethod.OPTIONS;
    }

    private static void reject(RoutingContext context, int status, String code, String message) {
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(io.vertx.core.json.Json.encode(ErrorBody.of(code, message)));
    }
}
