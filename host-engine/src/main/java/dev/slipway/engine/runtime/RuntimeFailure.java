package dev.slipway.engine.runtime;

/** A container could not be started (bad executable, unknown user, kernel refusal); nothing was left behind. */
public class RuntimeFailure extends Exception {
    public RuntimeFailure(String message) {
        super(message);
    }

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
