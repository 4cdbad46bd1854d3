package dev.slipway.api.router;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/**
 * {@code slipway.router.*}: where the app router listens and how patiently it waits for backends. The apps domain
 * ({@code slipway.apps-domain}) is shared with the dashboard and read by {@link AppsDomain}.
 */
@ConfigMapping(prefix = "slipway.router")
public interface RouterConfig {

    /** Port of the router's own HTTP server; 0 picks a free one (tests), see {@link AppRouter#port()}. */
    @WithDefault("8000")
    int port();

    /** Address the router binds to. */
    @WithDefault("0.0.0.0")
    String host();

    /** How long to wait for a TCP connection to an instance before trying the next one. */
    @WithName("connect-timeout")
    @WithDefault("PT5S")
    Duration connectTimeout();

    /** How long to wait for an instance's response head after the request was sent; then 504. */
    @WithName("response-timeout")
    @WithDefault("PT60S")
    Duration responseTimeout();

    /**
     * A connection (browser side or instance side, including WebSockets and event streams) that carries no byte
     * in either direction for this long is closed. Pooled keep-alive connections to instances close sooner, see
     * {@link #backendKeepAlive()}.
     */
    @WithName("idle-timeout")
    @WithDefault("PT5M")
    Duration idleTimeout();

    /**
     * How long an unused keep-alive connection to an instance stays in the pool. Kept below the usual server-side
     * keep-alive timeouts (Node.js: 5 s) so the router rarely sends on a connection the instance is closing.
     */
    @WithName("backend-keep-alive")
    @WithDefault("PT4S")
    Duration backendKeepAlive();

    /** Open HTTP/1.1 connections per instance endpoint; further requests queue for a free one. */
    @WithName("max-connections-per-endpoint")
    @WithDefault("256")
    int maxConnectionsPerEndpoint();

    /** An endpoint that refused a connection is skipped by new requests for this long (if others remain). */
    @WithName("unreachable-cooldown")
    @WithDefault("PT2S")
    Duration unreachableCooldown();

    /** Safety-net re-read of the whole route table; events make changes visible sooner. */
    @WithName("refresh-interval")
    @WithDefault("PT5S")
    Duration refreshInterval();

    /**
     * {@code false} (the router is the edge): incoming {@code X-Forwarded-*} and {@code Forwarded} headers are
     * replaced, so a client cannot spoof its address to an app. {@code true} behind a trusted load balancer:
     * they are kept and the router appends its peer.
     */
    @WithName("trust-forwarded-headers")
    @WithDefault("false")
    boolean trustForwardedHeaders();
}
