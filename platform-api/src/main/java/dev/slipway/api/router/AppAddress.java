package dev.slipway.api.router;

/** The name an app is reached by: {@code <app>.<tenant>.<apps domain>}. Both parts are lowercase DNS labels. */
public record AppAddress(String tenant, String app) {

    @Override
    public String toString() {
        return app + "." + tenant;
    }
}
