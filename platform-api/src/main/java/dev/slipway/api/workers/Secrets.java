package dev.slipway.api.workers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Join tokens ({@code sjt_}) and worker credentials ({@code slw_}): a prefix plus 32 random bytes, stored only as
 * SHA-256. With 256 bits of entropy a slow hash buys nothing, and one indexed lookup finds the row (as for PATs).
 */
final class Secrets {

    static final String JOIN_TOKEN_PREFIX = "sjt_";
    static final String CREDENTIAL_PREFIX = "slw_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String generate(String prefix) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
