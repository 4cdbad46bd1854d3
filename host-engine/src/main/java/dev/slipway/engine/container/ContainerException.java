package dev.slipway.engine.container;

/** A container operation was refused; the reason maps onto Docker's status codes in the local API. */
public class ContainerException extends Exception {

    /** NOT_FOUND 404, CONFLICT 409, INVALID 400, NOT_MODIFIED 304 (already in the asked-for state), FAILED 500. */
    public enum Reason { NOT_FOUND, CONFLICT, INVALID, NOT_MODIFIED, FAILED }

    private final Reason reason;

    public ContainerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ContainerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static ContainerException noSuchContainer(String ref) {
        return new ContainerException(Reason.NOT_FOUND, "No such container: " + ref);
    }
}
