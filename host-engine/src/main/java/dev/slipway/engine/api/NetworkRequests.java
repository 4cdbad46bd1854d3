package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.engine.api.http.ApiError;
import java.util.Iterator;

/**
 * The networking parts of a create request that the engine does not serve yet: refused with 400 rather than
 * silently ignored, so a {@code docker run -p} never looks published when it is not.
 */
final class NetworkRequests {

    private NetworkRequests() {
    }

    static void refuseUnsupported(JsonNode hostConfig) {
        JsonNode bindings = hostConfig.path("PortBindings");
        boolean anyBinding = false;
        for (Iterator<JsonNode> it = bindings.elements(); it.hasNext(); ) {
            JsonNode list = it.next();
            anyBinding |= list.isArray() && !list.isEmpty();
        }
        if (anyBinding || hostConfig.path("PublishAllPorts").asBoolean()) {
            throw ApiError.badRequest("published ports (-p, -P) are not supported by this engine yet");
        }
    }
}
