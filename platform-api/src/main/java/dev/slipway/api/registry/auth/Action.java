package dev.slipway.api.registry.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token may do to a repository, named as in Docker token scopes ({@code repository:<name>:pull,push}). */
public enum Action {
    PULL, PUSH, DELETE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> fromWire(String wire) {
        for (Action a : values()) {
            if (a.wire().equals(wire)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
