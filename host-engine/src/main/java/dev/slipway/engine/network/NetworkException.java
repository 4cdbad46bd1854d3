package dev.slipway.engine.network;

import java.io.IOException;

/** A networking request the engine refuses, with the reason the API turns into a status code. */
public final class NetworkException extends IOException {

    /** Why: the named network does not exist, it clashes with something in use, or the request is malformed. */
    public enum Reason { NOT_FOUND, CONFLICT, INVALID }

    private final Reason reason;

    public NetworkException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
