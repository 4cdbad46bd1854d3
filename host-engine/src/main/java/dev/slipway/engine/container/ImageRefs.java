package dev.slipway.engine.container;

/** Docker's defaulting of image references: a name without tag or digest means {@code :latest}. */
public final class ImageRefs {

    private ImageRefs() {
    }

    public static boolean lacksTagAndDigest(String ref) {
        if (ref.contains("@") || ref.startsWith("sha256:")) {
            return false;
        }
        int slash = ref.lastIndexOf('/');
        return ref.indexOf(':', slash + 1) < 0;
    }

    public static String withDefaultTag(String ref) {
        return lacksTagAndDigest(ref) ? ref + ":latest" : ref;
    }
}
