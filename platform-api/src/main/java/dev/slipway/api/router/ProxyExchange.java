package dev.slipway.api.router;

import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * One client request on its way to an instance and back. Lives on the client connection's event loop, so its
 * fields need no locking. The steps:
 *
 * <ol>
 *   <li>pick an endpoint (round robin) and get a pooled connection to it; if that connect fails nothing was sent,
 *       so any request moves on to the next endpoint;</li>
 *   <li>send the head with end-to-end headers plus forwarding headers, then stream the body with back-pressure
 *       (never buffered whole); a request without a body and with a safe method is also retried once when the
 *       connection breaks before any response, which is what a keep-alive connection closed by the instance at
 *       the wrong moment looks like;</li>
 *   <li>stream the response back the same way; {@code 101} joins both connections ({@link ConnectionSplice});</li>
 *   <li>no response head within the response timeout: 504; a broken connection before the head: 502; after it:
 *       the client connection is reset, since a status line was already sent.</li>
 * </ol>
 */
final class ProxyExchange {

    private static final Logger LOG = Logger.getLogger(ProxyExchange.class.getName());
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final HttpServerRequest in;
    private final Route route;
    private final Backends backends;
    private final String requestId;
    private final MultiMap headers;
    private final String uri;
    private final boolean upgrade;
    private final boolean bodiless;
    private final Set<Endpoint> tried = new HashSet<>();
    private HttpClientRequest out;
    private Endpoint endpoint;
    private long responseTimer = -1;
    private boolean retriedAfterSend;
    private boolean timedOut;
    private boolean responded;
    private boolean clientGone;
    private boolean spliced;

    ProxyExchange(HttpServerRequest in, Route route, Backends backends, String host, String requestId) {
        this.in = in;
        this.route = route;
        this.backends = backends;
        this.requestId = requestId;
        this.upgrade = HopByHopHeaders.isUpgrade(in.headers());
        this.bodiless = !in.headers().contains("transfer-encoding")
                && (!in.headers().contains("content-length") || "0".equals(in.getHeader("content-length")));
        this.uri = originForm(in);
        int port = portOf(host, in.localAddress() == null ? 0 : in.localAddress().port());
        this.headers = MultiMap.caseInsensitiveMultiMap();
        // Host is end-to-end: copied as received, so the app sees the name it was called by.
        HopByHopHeaders.copyEndToEnd(in.headers(), headers);
        // With the automatic 100 Continue the client already sends its body; the instance need not answer again.
        headers.remove("expect");
        if (upgrade) {
            headers.set("Connection", "Upgrade");
            headers.set("Upgrade", in.getHeader("upgrade"));
        }
        String peer = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
        backends.forwarded().apply(headers, peer, host, port, requestId);
    }

    void start() {
        in.pause();
        // The client left (also mid-stream, e.g. a closed event stream): stop the instance's side too, instead of
        // reading its response into a closed connection until it ends by itself.
        in.response().closeHandler(v -> {
            clientGone = true;
            if (out != null && !spliced) {
                out.reset();
            }
        });
        attempt();
    }

    private void attempt() {
        Endpoint next = route.next(tried, backends.unreachable());
        if (next == null) {
            fail(RouterError.BACKEND_UNREACHABLE, "The app " + route.address() + " did not accept a connection.",
                    null);
            return;
        }
        tried.add(next);
        endpoint = next;
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(next.host())
                .setPort(next.port()).setURI(uri).setHeaders(headers)
                .setConnectTimeout(backends.connectTimeoutMillis());
        backends.client().request(options).onComplete(connected -> {
            if (connected.failed()) {
                if (clientGone) {
                    return;
                }
                backends.unreachable().markUnreachable(next);
                LOG.fine(() -> "router: " + route.address() + " endpoint " + next + " refused ("
                        + connected.cause().getMessage() + "), request " + requestId);
                attempt();
                return;
            }
            if (clientGone) {
                connected.result().reset();
                return;
            }
            backends.unreachable().markReachable(next);
            send(connected.result());
        });
    }

    private void send(HttpClientRequest request) {
        out = request;
        if (upgrade) {
            out.connect().onComplete(this::onUpgradeResponse);
            startResponseTimer();
            return;
        }
        out.response().onComplete(this::onResponse);
        if (bodiless) {
            in.resume();
            out.end();
            startResponseTimer();
        } else {
            if (in.headers().contains("transfer-encoding")) {
                out.setChunked(true);
            }
            // The wait for the answer starts once the body is out: a long upload is not a slow app (a stalled one
            // is caught by the idle timeout).
            in.pipe().endOnFailure(false).to(out).onComplete(sent -> {
                if (sent.succeeded()) {
                    startResponseTimer();
                } else {
                    out.reset(0, sent.cause());
                }
            });
        }
    }

    private void startResponseTimer() {
        if (responded || clientGone) {
            return;
        }
        responseTimer = backends.vertx().setTimer(backends.responseTimeoutMillis(), id -> {
            if (!responded) {
                timedOut = true;
                out.reset(0, new TimeoutException("no response head in time"));
            }
        });
    }

    private void onUpgradeResponse(AsyncResult<HttpClientResponse> result) {
        if (result.failed() || result.result().statusCode() != 101) {
            onResponse(result);
            return;
        }
        HttpClientResponse response = result.result();
        markResponded();
        spliced = true;
        HttpServerResponse reply = in.response();
        reply.setStatusCode(101);
        HopByHopHeaders.copyEndToEnd(response.headers(), reply.headers());
        reply.headers().set("Connection", "Upgrade").set("Upgrade", response.getHeader("upgrade"));
        in.toNetSocket().onComplete(client -> {
            if (client.failed()) {
                response.netSocket().close();
                return;
            }
            ConnectionSplice.join(client.result(), response.netSocket());
        });
    }

    private void onResponse(AsyncResult<HttpClientResponse> result) {
        if (result.failed()) {
            onBackendFailure(result.cause());
            return;
        }
        HttpClientResponse response = result.result();
        markResponded();
        HttpServerResponse reply = in.response();
        reply.setStatusCode(response.statusCode()).setStatusMessage(response.statusMessage());
        HopByHopHeaders.copyEndToEnd(response.headers(), reply.headers());
        reply.headers().set(ForwardedHeaders.REQUEST_ID, requestId);
        if (!response.headers().contains("content-length") && mayHaveBody(in.method(), response.statusCode())) {
            reply.setChunked(true);
        }
        response.pipe().endOnFailure(false).to(reply).onFailure(e -> reply.reset());
    }

    private void onBackendFailure(Throwable cause) {
        if (clientGone || responded) {
            return;
        }
        cancelTimer();
        if (timedOut) {
            LOG.warning(() -> "router: " + route.address() + " endpoint " + endpoint + " sent no response within "
                    + backends.responseTimeoutMillis() + " ms, request " + requestId);
            fail(RouterError.BACKEND_TIMEOUT, "The app " + route.address() + " did not answer in time.", null);
            return;
        }
        if (bodiless && !upgrade && SAFE.contains(in.method()) && !retriedAfterSend) {
            retriedAfterSend = true;
            tried.remove(endpoint);
            attempt();
            return;
        }
        LOG.warning(() -> "router: " + route.address() + " endpoint " + endpoint + " failed before responding ("
                + cause + "), request " + requestId);
        fail(RouterError.BACKEND_FAILED, "The app " + route.address() + " closed the connection without answering.",
                null);
    }

    private void fail(RouterError error, String message, String state) {
        cancelTimer();
        if (clientGone || in.response().headWritten()) {
            in.response().reset();
            return;
        }
        in.resume();
        ErrorPage.send(in, error, message, state, requestId);
    }

    private void markResponded() {
        responded = true;
        cancelTimer();
    }

    private void cancelTimer() {
        if (responseTimer >= 0) {
            backends.vertx().cancelTimer(responseTimer);
            responseTimer = -1;
        }
    }

    private static boolean mayHaveBody(HttpMethod method, int status) {
        return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
    }

    /** The request target as a path and query, also when the client sent an absolute URI. */
    private static String originForm(HttpServerRequest in) {
        String uri = in.uri();
        if (uri.startsWith("/") || "*".equals(uri)) {
            return uri;
        }
        String query = in.query();
        return (in.path() == null || in.path().isEmpty() ? "/" : in.path()) + (query == null ? "" : "?" + query);
    }

    static int portOf(String host, int fallback) {
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            try {
                return Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
