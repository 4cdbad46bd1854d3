package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.api.http.ApiError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's {@code filters} query parameter: {@code {"key":{"value":true}}} (or the older {@code {"key":["value"]}})
 * as key → values. An unknown key or malformed JSON is a 400.
 */
final class QueryFilters {

    private QueryFilters() {
    }

    static Map<String, List<String>> parse(ObjectMapper json, String raw, Set<String> keys) {
        Map<String, List<String>> filters = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return filters;
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiError.badRequest("invalid filters: " + e.getOriginalMessage());
        }
        node.fields().forEachRemaining(e -> {
            if (!keys.contains(e.getKey())) {
                throw ApiError.badRequest("invalid filter '" + e.getKey() + "'");
            }
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else {
                e.getValue().fieldNames().forEachRemaining(values::add);
            }
            filters.put(e.getKey(), values);
        });
        return filters;
    }
}
