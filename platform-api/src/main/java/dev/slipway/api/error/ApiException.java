package dev.slipway.api.error;

/**
 * A failure the API reports to its caller: an HTTP status, a stable machine-readable code and a message a
 * person can act on. Thrown anywhere under {@code /api/}; {@link ApiExceptionMapper} renders it as
 * {@code {"error":{"code":"...","message":"..."}}}. Nothing that was being written when it is thrown inside a
 * transaction becomes visible: it is a RuntimeException, so the transaction rolls back.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String message() {
        return getMessage();
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    /** A request field that is missing or has a value the API does not accept; the message names the field. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(400, "INVALID_FIELD", field + ": " + message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", message);
    }
}
