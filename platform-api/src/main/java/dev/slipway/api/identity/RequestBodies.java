package dev.slipway.api.identity;

import dev.slipway.api.error.ApiException;

/** Checks shared by the JSON request bodies of this package. */
final class RequestBodies {

    private RequestBodies() {
    }

    static <T> T present(T body) {
        if (body == null) {
            throw ApiException.badRequest("MISSING_BODY", "this request needs a JSON body");
        }
        return body;
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalidField(field, "is required");
        }
        return value;
    }
}
