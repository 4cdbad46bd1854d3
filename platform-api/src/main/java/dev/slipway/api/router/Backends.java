package dev.slipway.api.router;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** What every {@link ProxyExchange} shares: the pooled client to instances and the router-wide policies. */
record Backends(Vertx vertx, HttpClient client, ForwardedHeaders forwarded, UnreachableEndpoints unreachable,
        long connectTimeoutMillis, long responseTimeoutMillis) {
}
