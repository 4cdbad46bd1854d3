package dev.slipway.engine.image;

/** An image operation was refused: unknown image, bad archive, digest mismatch, unsafe layer, auth failure. */
public class ImageException extends Exception {

    /** Why, so the local API can map it to Docker's status codes. */
    public enum Reason { NOT_FOUND, INVALID, CONFLICT, UNAUTHORIZED, UNSAFE_LAYER, REGISTRY_ERROR }

    private final Reason reason;

    public ImageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
