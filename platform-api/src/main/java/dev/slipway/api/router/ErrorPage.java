package dev.slipway.api.router;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Renders a {@link RouterError}: an HTML page for browsers (their Accept header asks for {@code text/html}),
 * otherwise JSON shaped like the API's errors, {@code {"error":{"code","message","state"?,"requestId"}}}.
 */
final class ErrorPage {

    private ErrorPage() {
    }

    /** Sends the error as the complete response (the request must not have a response started). */
    static void send(HttpServerRequest request, RouterError error, String message, String state, String requestId) {
        HttpServerResponse response = request.response();
        response.setStatusCode(error.status).setStatusMessage(error.reason);
        response.headers().clear();
        response.putHeader(ForwardedHeaders.REQUEST_ID, requestId);
        response.putHeader("Cache-Control", "no-store");
        if (error == RouterError.APP_UNAVAILABLE) {
            response.putHeader("Retry-After", "5");
        }
        String accept = request.getHeader("Accept");
        boolean html = accept != null && accept.contains("text/html");
        String body = html ? html(error, message, state, requestId) : json(error, message, state, requestId);
        response.putHeader("Content-Type", html ? "text/html; charset=utf-8" : "application/json");
        response.end(body);
    }

    static String json(RouterError error, String message, String state, String requestId) {
        StringBuilder out = new StringBuilder("{\"error\":{\"code\":\"").append(error.name())
                .append("\",\"message\":\"").append(jsonEscape(message)).append('"');
        if (state != null) {
            out.append(",\"state\":\"").append(jsonEscape(state)).append('"');
        }
        return out.append(",\"requestId\":\"").append(jsonEscape(requestId)).append("\"}}").toString();
    }

    static String html(RouterError error, String message, String state, String requestId) {
        String title = error.status + " " + error.reason;
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;"
                + "color:#222}code{background:#eee;padding:0 .25rem}small{color:#666}</style></head><body>"
                + "<h1>" + title + "</h1><p>" + htmlEscape(message) + "</p>"
                + (state == null ? "" : "<p>App state: <code>" + htmlEscape(state) + "</code></p>")
                + "<p><small>Slipway router · code <code>" + error.name() + "</code> · request id <code>"
                + htmlEscape(requestId) + "</code></small></p></body></html>\n";
    }

    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
