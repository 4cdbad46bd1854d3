package dev.slipway.api.identity;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * What a personal access token may be used for. Scopes only narrow: a token acts with its user's tenant roles,
 * limited to its scopes. A Keycloak session has every scope.
 */
public enum Scope {
    READ("read"), WRITE("write"), REGISTRY_PULL("registry:pull"), REGISTRY_PUSH("registry:push"), ADMIN("admin");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The scope with this wire name; throws IllegalArgumentException for an unknown one. */
    public static Scope fromWire(String wire) {
        return lookup(wire).orElseThrow(() -> new IllegalArgumentException("unknown scope: " + wire));
    }

    public static Optional<Scope> lookup(String wire) {
        for (Scope scope : values()) {
            if (scope.wire.equals(wire)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
