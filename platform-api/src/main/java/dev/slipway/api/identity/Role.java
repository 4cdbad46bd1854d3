package dev.slipway.api.identity;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.slipway.api.error.ApiException;
import java.util.Locale;

/** A member's role in a tenant, from least to most powerful; each role includes everything below it. */
public enum Role {
    VIEWER, DEVELOPER, ADMIN, OWNER;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name ({@code viewer|developer|admin|owner}); a bad value is a 400 naming {@code field}. */
    public static Role fromWire(String field, String value) {
        if (value != null) {
            for (Role role : values()) {
                if (role.wire().equals(value)) {
                    return role;
                }
            }
        }
        throw ApiException.invalidField(field, "must be one of viewer, developer, admin, owner");
    }
}
