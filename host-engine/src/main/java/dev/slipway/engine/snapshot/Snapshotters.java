package dev.slipway.engine.snapshot;

import dev.slipway.engine.archive.FileTrees;
import dev.slipway.engine.libc.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Picks the snapshotter the host can run: overlayfs when the kernel has it and an overlay mount actually works
 * on the data dir's filesystem (it does not on every filesystem, e.g. an overlay upper dir on overlayfs), the
 * copying one otherwise.
 */
public final class Snapshotters {

    private static final Logger LOG = Logger.getLogger(Snapshotters.class.getName());
    private static final int MNT_DETACH = 2;

    private Snapshotters() {
    }

    /** {@code <dataDir>/snapshots/overlay} or {@code <dataDir>/snapshots/copy}. */
    public static Snapshotter forHost(Path dataDir) throws IOException {
        Path snapshots = Files.createDirectories(dataDir.resolve("snapshots"));
        if (overlaySupported() && overlayMountWorks(snapshots)) {
            return new OverlaySnapshotter(snapshots.resolve("overlay"));
        }
        LOG.warning("overlayfs is not usable under " + snapshots + ": using the copying snapshotter");
        return new CopySnapshotter(snapshots.resolve("copy"));
    }

    public static boolean overlaySupported() throws IOException {
        return Files.readAllLines(Path.of("/proc/filesystems")).stream()
                .map(line -> line.substring(line.lastIndexOf('\t') + 1).strip())
                .anyMatch("overlay"::equals);
    }

    /** Mounts a throw-away overlay (two lower dirs, an upper dir with a whiteout) under {@code dir}. */
    static boolean overlayMountWorks(Path dir) throws IOException {
        Path probe = dir.resolve("overlay-probe");
        FileTrees.delete(probe);
        try {
            for (String sub : new String[] {"l1", "l2", "u", "w", "m"}) {
                Files.createDirectories(probe.resolve(sub));
            }
            String options = "lowerdir=" + probe.resolve("l2") + ":" + probe.resolve("l1") + ",upperdir="
                    + probe.resolve("u") + ",workdir=" + probe.resolve("w");
            String target = probe.resolve("m").toString();
            if (LibC.INSTANCE.mount("overlay", target, "overlay", 0, options) != 0) {
                return false;
            }
            LibC.INSTANCE.umount2(target, MNT_DETACH);
            return true;
        } finally {
            FileTrees.delete(probe);
        }
    }
}
