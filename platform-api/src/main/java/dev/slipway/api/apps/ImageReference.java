package dev.slipway.api.apps;

import dev.slipway.api.error.ApiException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference, {@code [host[:port]/]path[:tag][@sha256:<hex>]}, following the distribution reference
 * grammar: lower-case path components, a tag of word characters, an optional pinned digest. As in Docker, the
 * first component is a registry host only if it contains a '.' or a ':' or is {@code localhost}.
 *
 * @param host       the registry host as written (with port), or null when the reference names none
 * @param repository the repository path, e.g. {@code demo/web}
 * @param tag        the tag, or null
 * @param digest     the pinned digest {@code sha256:...}, or null
 */
public record ImageReference(String host, String repository, String tag, String digest) {

    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?");
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern TAG_AND_DIGEST =
            Pattern.compile("(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?");
    private static final int MAX_LENGTH = 512;

    /** Parses {@code image}; 400 INVALID_FIELD naming {@code field} unless it is a well-formed reference. */
    public static ImageReference parse(String field, String image) {
        if (image == null || image.isBlank()) {
            throw ApiException.invalidField(field, "is required");
        }
        if (image.length() > MAX_LENGTH) {
            throw malformed(field, image);
        }
        String rest = image;
        String host = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!DOMAIN.matcher(first).matches()) {
                    throw malformed(field, image);
                }
                host = first;
                rest = rest.substring(slash + 1);
            }
        }
        int end = rest.indexOf('@');
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.indexOf(':', lastSlash + 1);
        int pathEnd = colon >= 0 && (end < 0 || colon < end) ? colon : end >= 0 ? end : rest.length();
        String path = rest.substring(0, pathEnd);
        Matcher suffix = TAG_AND_DIGEST.matcher(rest.substring(pathEnd));
        if (!PATH.matcher(path).matches() || !suffix.matches()) {
            throw malformed(field, image);
        }
        return new ImageReference(host, path, suffix.group(1), suffix.group(2));
    }

    private static ApiException malformed(String field, String image) {
        return ApiException.invalidField(field, "'" + image + "' is not an image reference such as"
                + " localhost:8080/demo/web:1 or demo/web@sha256:<64 hex>");
    }
}
