package dev.slipway.api.apps;

import dev.slipway.api.error.ApiException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syntax of an image reference, {@code [host[:port]/]path[:tag][@sha256:<hex>]}, following the distribution
 * reference grammar: lower-case path components, a tag of word characters, an optional pinned digest.
 */
final class ImageReference {

    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?)";
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT
            + ")*(?::[\\w][\\w.-]{0,127})?(?:@(sha256:[a-f0-9]{64}))?");
    private static final int MAX_LENGTH = 512;

    private ImageReference() {
    }

    /** 400 naming {@code field} unless {@code image} is a well-formed reference; returns its pinned digest, if any. */
    static Optional<String> validate(String field, String image) {
        if (image == null || image.isBlank()) {
            throw ApiException.invalidField(field, "is required");
        }
        Matcher m = REFERENCE.matcher(image);
        if (image.length() > MAX_LENGTH || !m.matches()) {
            throw ApiException.invalidField(field, "'" + image + "' is not an image reference such as"
                    + " localhost:8080/demo/web:1 or demo/web@sha256:<64 hex>");
        }
        return Optional.ofNullable(m.group(1));
    }
}
