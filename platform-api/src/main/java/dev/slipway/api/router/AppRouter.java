package dev.slipway.api.router;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The HTTP entry point for deployed apps: its own server on {@code slipway.router.port} (Quarkus' managed Vert.x,
 * separate from the API's port), which sends each request to a healthy instance of the app its Host header names.
 * The request path is non-blocking and touches only memory: {@link AppsDomain} parses the Host header,
 * {@link RouteTable} answers the lookup, {@link ProxyExchange} moves the bytes through one pooled HTTP/1.1 client.
 *
 * <p>Lifecycle: starts listening at application startup, after {@link RouteRefresher} has loaded the table, and
 * closes at shutdown. {@link #port()} is the bound port (useful when configured as 0).
 */
@ApplicationScoped
public class AppRouter {

    private static final Logger LOG = Logger.getLogger(AppRouter.class.getName());

    private final Vertx vertx;
    private final RouterConfig config;
    private final RouteTable table;
    private final AppsDomain appsDomain;
    private HttpServer server;
    private Backends backends;
    private volatile int port = -1;

    AppRouter(Vertx vertx, RouterConfig config, RouteTable table, AppsDomain appsDomain) {
        this.vertx = vertx;
        this.config = config;
        this.table = table;
        this.appsDomain = appsDomain;
    }

    /** The port the router listens on; -1 before startup finished. */
    public int port() {
        return port;
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        int idleSeconds = (int) Math.max(1, config.idleTimeout().toSeconds());
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, config.backendKeepAlive().toSeconds()))
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout(idleSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setDecompressionSupported(false)
                .setMaxHeaderSize(32 * 1024)
                .setMaxInitialLineLength(16 * 1024),
                new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerEndpoint()));
        backends = new Backends(vertx, client, new ForwardedHeaders(config.trustForwardedHeaders()),
                new UnreachableEndpoints(config.unreachableCooldown()), config.connectTimeout().toMillis(),
                config.responseTimeout().toMillis());
        server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(config.host()).setPort(config.port())
                .setIdleTimeout(idleSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHandle100ContinueAutomatically(true)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setMaxHeaderSize(32 * 1024)
                .setMaxInitialLineLength(16 * 1024));
        server.requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        port = server.actualPort();
        LOG.info("app router listening on http://" + config.host() + ":" + port + " (apps at http://<app>.<tenant>."
                + "<apps domain>)");
    }

    void onStop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
        if (backends != null) {
            backends.client().close();
        }
    }

    private void handle(HttpServerRequest in) {
        String host = in.getHeader("Host");
        if (host == null && in.authority() != null) {
            host = in.authority().toString();
        }
        String requestId = backends.forwarded().requestId(in.headers());
        Optional<AppAddress> address = appsDomain.resolve(host);
        Route route = address.map(table::lookup).orElse(null);
        if (route == null) {
            ErrorPage.send(in, RouterError.APP_NOT_FOUND,
                    address.map(a -> "There is no app " + a + " here.").orElse("No app is served under this host name."),
                    null, requestId);
            return;
        }
        if (route.endpoints().isEmpty()) {
            ErrorPage.send(in, RouterError.APP_UNAVAILABLE, "The app " + route.address()
                    + " has no healthy instance right now (state: " + route.state() + ").", route.state(), requestId);
            return;
        }
        new ProxyExchange(in, route, backends, host, requestId).start();
    }
}
