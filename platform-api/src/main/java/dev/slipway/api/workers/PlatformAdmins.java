package dev.slipway.api.workers;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Scope;

/** The check in front of every {@code /api/v1/admin/...} endpoint of this package. */
final class PlatformAdmins {

    private PlatformAdmins() {
    }

    /** 403 unless the caller is a platform admin whose credential carries the {@code admin} scope. */
    static void require(CurrentCaller caller, String what) {
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("only platform admins " + what);
        }
        caller.requireScope(Scope.ADMIN);
    }
}
