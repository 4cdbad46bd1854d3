package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.slipway.engine.api.http.ApiError;
import dev.slipway.engine.api.http.HttpRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading Docker's request bodies, which accept a string where a list is expected and null for "unset". */
final class Json {

    private Json() {
    }

    static JsonNode body(ObjectMapper mapper, HttpRequest request) throws IOException {
        byte[] bytes = request.bodyBytes();
        if (bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiError.badRequest("invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** Null when absent or JSON null; a one-element list for a plain string (Docker's StrSlice). */
    static List<String> strings(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(item -> values.add(item.asText()));
        } else {
            throw ApiError.badRequest("expected a string or a list of strings, got " + node.getNodeType());
        }
        return values;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    static long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isNull() || value.isMissingNode()) {
            return 0;
        }
        if (!value.isNumber()) {
            throw ApiError.badRequest(field + " must be a number");
        }
        return value.asLong();
    }

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }
}
