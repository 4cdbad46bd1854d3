package dev.slipway.api.registry.storage;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Upload ids: 128 random bits in hex, and the check that an id from a URL is one (it becomes part of a path). */
final class UploadIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern VALID = Pattern.compile("[a-f0-9]{32}");

    private UploadIds() {
    }

    static String next() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static void check(String uploadId) {
        if (uploadId == null || !VALID.matcher(uploadId).matches()) {
            throw new BlobStoreException(BlobStoreException.Reason.UPLOAD_UNKNOWN, "unknown upload " + uploadId);
        }
    }
}
