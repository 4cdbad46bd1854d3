package dev.slipway.engine.content;

import java.io.InputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An OCI content digest ({@code sha256:<64 hex>} or {@code sha512:<128 hex>}). Parsing is strict because a
 * digest becomes a file name in the content store: anything else could name a path outside it.
 */
public record Digest(String algorithm, String hex) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("not a valid digest: " + algorithm + ":" + hex);
        }
    }

    /** Parses {@code algorithm:hex}; throws IllegalArgumentException for anything else. */
    public static Digest parse(String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a valid digest: " + value);
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    public static boolean isDigest(String value) {
        try {
            parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newMessageDigest("sha256").digest(content)));
    }

    /** Digest of the whole stream (read to its end, not closed). */
    public static Digest sha256(InputStream in) throws IOException {
        MessageDigest md = newMessageDigest("sha256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md.update(buffer, 0, n);
        }
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    public static Digest of(String algorithm, byte[] digestBytes) {
        return new Digest(algorithm, HexFormat.of().formatHex(digestBytes));
    }

    /** A fresh JDK MessageDigest for {@code sha256} or {@code sha512}. */
    public static MessageDigest newMessageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public MessageDigest newMessageDigest() {
        return newMessageDigest(algorithm);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
