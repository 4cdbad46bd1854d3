package dev.slipway.api.registry.handlers;

import jakarta.ws.rs.core.Response;

/** Headers every registry response carries. */
final class Responses {

    private Responses() {
    }

    static Response.ResponseBuilder status(int status) {
        return Response.status(status).header("Docker-Distribution-API-Version", "registry/2.0");
    }
}
