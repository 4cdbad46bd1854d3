package dev.slipway.api.registry;

import java.util.Map;

/** A refused registry request; rendered by {@link RegistryExceptionMapper} in the spec's error format. */
public class RegistryException extends RuntimeException {

    private final RegistryError error;
    private final int status;
    private final Map<String, Object> detail;
    private final Map<String, String> headers;

    public RegistryException(RegistryError error, String message) {
        this(error, error.status(), message, Map.of(), Map.of());
    }

    public RegistryException(RegistryError error, int status, String message, Map<String, Object> detail,
            Map<String, String> headers) {
        super(message);
        this.error = error;
        this.status = status;
        this.detail = detail;
        this.headers = headers;
    }

    public RegistryError error() {
        return error;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> detail() {
        return detail;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
