package dev.slipway.engine.api.http;

/**
 * A request failed in a way Docker clients understand: rendered as {@code {"message": ...}} with Docker's status
 * (400 bad parameter, 404 no such container/image, 409 conflict, 500 anything else).
 */
public class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, message);
    }

    public static ApiError notModified() {
        return new ApiError(304, "");
    }
}
