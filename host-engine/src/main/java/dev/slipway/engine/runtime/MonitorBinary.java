package dev.slipway.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The C launcher and monitor (src/main/c), compiled by the build and shipped in this jar. At engine start it is
 * copied to {@code <data-dir>/bin/slipway-monitor} unless the file there already has the same content. The copy
 * is written beside the target and renamed over it, so a monitor still running from the old binary keeps its
 * (unlinked) file and a new engine never executes a half-written one.
 */
public final class MonitorBinary {
    static final String RESOURCE = "/dev/slipway/engine/runtime/slipway-monitor";

    private MonitorBinary() {
    }

    /** Installs the binary under {@code dataDir/bin} if needed and returns its path. */
    public static Path install(Path dataDir) throws IOException {
        byte[] bytes;
        try (InputStream in = MonitorBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " missing from the host-engine jar (build with gcc)");
            }
            bytes = in.readAllBytes();
        }
        Path bin = Files.createDirectories(dataDir.resolve("bin"));
        Path target = bin.resolve("slipway-monitor");
        if (Files.isRegularFile(target) && Arrays.equals(sha256(Files.readAllBytes(target)), sha256(bytes))
                && Files.isExecutable(target)) {
            return target;
        }
        Path tmp = Files.createTempFile(bin, "slipway-monitor", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
