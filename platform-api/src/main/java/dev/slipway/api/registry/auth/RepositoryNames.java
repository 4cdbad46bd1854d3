package dev.slipway.api.registry.auth;

import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import java.util.regex.Pattern;

/** Repository names: the spec's grammar, with at least two components, the first being the tenant. */
public final class RepositoryNames {

    private static final Pattern NAME =
            Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)+");

    private RepositoryNames() {
    }

    public static boolean valid(String name) {
        return name != null && name.length() <= 255 && NAME.matcher(name).matches();
    }

    public static void check(String name) {
        if (!valid(name)) {
            throw new RegistryException(RegistryError.NAME_INVALID,
                    "invalid repository name '" + name + "': use <tenant>/<name>, lower-case letters, digits, . _ -");
        }
    }

    public static String tenantOf(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }
}
