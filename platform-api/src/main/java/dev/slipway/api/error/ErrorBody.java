package dev.slipway.api.error;

/** The one error shape of the REST API: {@code {"error":{"code":"...","message":"..."}}}. */
public record ErrorBody(Detail error) {

    public record Detail(String code, String message) {
    }

    public static ErrorBody of(String code, String message) {
        return new ErrorBody(new Detail(code, message));
    }
}
