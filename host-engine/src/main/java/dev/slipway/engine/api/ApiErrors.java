package dev.slipway.engine.api;

import dev.slipway.engine.api.http.ApiError;
import dev.slipway.engine.api.http.Handler;
import dev.slipway.engine.container.ContainerException;
import dev.slipway.engine.image.ImageException;

/** The one place where engine failures become Docker's status codes. */
final class ApiErrors {

    private ApiErrors() {
    }

    static ApiError of(ContainerException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> ApiError.notFound(e.getMessage());
            case CONFLICT -> ApiError.conflict(e.getMessage());
            case INVALID -> ApiError.badRequest(e.getMessage());
            case NOT_MODIFIED -> ApiError.notModified();
            case FAILED -> new ApiError(500, e.getMessage());
        };
    }

    static ApiError of(ImageException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> ApiError.notFound(e.getMessage());
            case CONFLICT -> ApiError.conflict(e.getMessage());
            case INVALID, UNSAFE_LAYER -> ApiError.badRequest(e.getMessage());
            case UNAUTHORIZED -> new ApiError(401, e.getMessage());
            case REGISTRY_ERROR -> new ApiError(500, e.getMessage());
        };
    }

    /** Wraps a handler so that domain exceptions leave it as {@link ApiError}s. */
    static Handler mapped(Handler handler) {
        return (request, response, params) -> {
            try {
                handler.handle(request, response, params);
            } catch (ContainerException e) {
                throw of(e);
            } catch (ImageException e) {
                throw of(e);
            }
        };
    }
}
