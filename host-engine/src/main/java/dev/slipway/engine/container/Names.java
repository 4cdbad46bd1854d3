package dev.slipway.engine.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Container ids and names as Docker makes them: 64 hex ids, names matching Docker's pattern, generated names. */
final class Names {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern VALID_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final String[] LEFT = {"brave", "calm", "eager", "fond", "keen", "merry", "quiet", "swift",
        "tidy", "witty", "bold", "clever", "gentle", "jolly", "lucid", "nimble"};
    private static final String[] RIGHT = {"anchor", "beacon", "cove", "dock", "ferry", "harbor", "jetty", "keel",
        "mast", "pier", "quay", "rudder", "sail", "tide", "wharf", "yawl"};

    private Names() {
    }

    static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Strips Docker's leading slash and checks the name; throws INVALID with Docker's wording otherwise. Unlike dockerd, one-character
     * names are allowed.
     */
    static String validName(String requested) throws ContainerException {
        String name = requested.startsWith("/") ? requested.substring(1) : requested;
        if (!VALID_NAME.matcher(name).matches()) {
            throw new ContainerException(ContainerException.Reason.INVALID,
                    "Invalid container name (" + requested + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return name;
    }

    static String generated() {
        return LEFT[RANDOM.nextInt(LEFT.length)] + "_" + RIGHT[RANDOM.nextInt(RIGHT.length)] + "_"
                + Integer.toString(RANDOM.nextInt(46656), 36);
    }
}
