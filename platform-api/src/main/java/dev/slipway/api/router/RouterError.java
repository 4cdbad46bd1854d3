package dev.slipway.api.router;

/**
 * The router's own answers, each with a stable code that scripts can match (docs/router.md lists them). Messages
 * never say whether a tenant exists: an unknown app and an unknown tenant look the same.
 */
enum RouterError {
    APP_NOT_FOUND(404, "Not Found"),
    APP_UNAVAILABLE(503, "Service Unavailable"),
    BACKEND_UNREACHABLE(502, "Bad Gateway"),
    BACKEND_FAILED(502, "Bad Gateway"),
    BACKEND_TIMEOUT(504, "Gateway Timeout");

    final int status;
    final String reason;

    RouterError(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }
}
