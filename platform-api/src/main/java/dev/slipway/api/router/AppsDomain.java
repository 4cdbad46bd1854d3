package dev.slipway.api.router;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the app out of a {@code Host} header: {@code <app>.<tenant>.<suffix>[:port]}, where the suffix is the host
 * part of {@code slipway.apps-domain}. Any port is accepted, so the same name works behind a load balancer on 80.
 */
@ApplicationScoped
public class AppsDomain {

    private final String suffix;

    AppsDomain(@ConfigProperty(name = "slipway.apps-domain") String appsDomain) {
        this.suffix = "." + hostPart(appsDomain);
    }

    /** The app a Host header names, or empty when it names none (wrong suffix, wrong shape, missing). */
    public Optional<AppAddress> resolve(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty() || hostHeader.startsWith("[")) {
            return Optional.empty();
        }
        String host = hostHeader.toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!host.endsWith(suffix)) {
            return Optional.empty();
        }
        String labels = host.substring(0, host.length() - suffix.length());
        int dot = labels.indexOf('.');
        if (dot <= 0 || dot != labels.lastIndexOf('.') || dot == labels.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new AppAddress(labels.substring(dot + 1), labels.substring(0, dot)));
    }

    private static String hostPart(String appsDomain) {
        String host = appsDomain.trim().toLowerCase(Locale.ROOT);
        int colon = host.indexOf(':');
        return colon >= 0 ? host.substring(0, colon) : host;
    }
}
