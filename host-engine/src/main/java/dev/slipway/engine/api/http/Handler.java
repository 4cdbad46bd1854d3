package dev.slipway.engine.api.http;

/** Serves one route; path parameters come in {@code params} in the order of the route's placeholders. */
@FunctionalInterface
public interface Handler {
    void handle(HttpRequest request, HttpResponse response, String[] params) throws Exception;
}
