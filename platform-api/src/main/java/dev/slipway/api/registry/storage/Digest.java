package dev.slipway.api.registry.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it: {@code <algorithm>:<lower-case hex>}. Only the two algorithms the
 * spec registers are accepted, so that a digest string can never name a path outside the blob store.
 */
public record Digest(Algorithm algorithm, String hex) {

    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        private final String wire;
        private final String jca;
        private final int hexLength;

        Algorithm(String wire, String jca, int hexLength) {
            this.wire = wire;
            this.jca = jca;
            this.hexLength = hexLength;
        }

        public String wire() {
            return wire;
        }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jca);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + jca, e);
            }
        }
    }

    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        if (hex.length() != algorithm.hexLength || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a valid " + algorithm.wire + " digest: " + hex);
        }
    }

    /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}; throws IllegalArgumentException otherwise. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("digest missing");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("digest has no algorithm: " + text);
        }
        String alg = text.substring(0, colon);
        for (Algorithm a : Algorithm.values()) {
            if (a.wire.equals(alg)) {
                return new Digest(a, text.substring(colon + 1));
            }
        }
        throw new IllegalArgumentException("unsupported digest algorithm: " + alg);
    }

    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Digest of(Algorithm algorithm, byte[] content) {
        return new Digest(algorithm, HexFormat.of().formatHex(algorithm.newMessageDigest().digest(content)));
    }

    public static Digest sha256(byte[] content) {
        return of(Algorithm.SHA256, content);
    }

    public static Digest finish(Algorithm algorithm, MessageDigest md) {
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
    }

    @Override
    public String toString() {
        return algorithm.wire + ":" + hex;
    }
}
