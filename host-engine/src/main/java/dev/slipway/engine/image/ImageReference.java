package dev.slipway.engine.image;

import dev.slipway.engine.content.Digest;
import java.util.regex.Pattern;

/**
 * A parsed image reference, normalised the way Docker does it: {@code busybox} is
 * {@code docker.io/library/busybox:latest}; the first component is a registry host when it contains a dot or a
 * colon or is {@code localhost}.
 *
 * @param domain registry host[:port], e.g. {@code docker.io}, {@code 127.0.0.1:5000}
 * @param path   repository path inside the registry, e.g. {@code library/busybox}
 * @param tag    tag, null when only a digest was given
 * @param digest manifest digest, null when not given
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {

    public static final String DEFAULT_DOMAIN = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

    /** Parses and normalises; {@link ImageException.Reason#INVALID} for anything Docker would not accept. */
    public static ImageReference parse(String reference) throws ImageException {
        if (reference == null || reference.isBlank()) {
            throw invalid(reference, "empty reference");
        }
        String rest = reference;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw invalid(reference, "bad digest");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(reference, "bad tag '" + tag + "'");
            }
        }
        String domain = DEFAULT_DOMAIN;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                if (!DOMAIN.matcher(first).matches()) {
                    throw invalid(reference, "bad registry host '" + first + "'");
                }
                domain = first;
                path = rest.substring(slash + 1);
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(reference, "bad repository name '" + path + "' (lowercase letters, digits, . _ -)");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(domain, path, tag, digest);
    }

    private static ImageException invalid(String reference, String why) {
        return new ImageException(ImageException.Reason.INVALID, "invalid reference format '" + reference + "': " + why);
    }

    /** {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** {@code docker.io/library/busybox:latest}; null when only a digest was given. */
    public String nameAndTag() {
        return tag == null ? null : name() + ":" + tag;
    }

    /** {@code docker.io/library/busybox@sha256:...}; null when no digest was given. */
    public String nameAndDigest() {
        return digest == null ? null : name() + "@" + digest;
    }

    /** The name as Docker shows it: {@code busybox}, {@code user/app}, {@code 127.0.0.1:5000/x}. */
    public static String familiar(String normalized) {
        if (normalized.startsWith(DEFAULT_DOMAIN + "/library/")) {
            String rest = normalized.substring((DEFAULT_DOMAIN + "/library/").length());
            if (!rest.contains("/")) {
                return rest;
            }
        }
        if (normalized.startsWith(DEFAULT_DOMAIN + "/")) {
            return normalized.substring(DEFAULT_DOMAIN.length() + 1);
        }
        return normalized;
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
