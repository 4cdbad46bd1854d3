package dev.slipway.engine.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Picks the snapshotter the host can run: overlayfs when the kernel has it, the copying one otherwise. */
public final class Snapshotters {
    private Snapshotters() {
    }

    /** {@code <dataDir>/snapshots/overlay} or {@code <dataDir>/snapshots/copy}, chosen by {@link #overlaySupported}. */
    public static Snapshotter forHost(Path dataDir) throws IOException {
        return overlaySupported()
                ? new OverlaySnapshotter(dataDir.resolve("snapshots").resolve("overlay"))
                : new CopySnapshotter(dataDir.resolve("snapshots").resolve("copy"));
    }

    public static boolean overlaySupported() throws IOException {
        return Files.readAllLines(Path.of("/proc/filesystems")).stream()
                .map(line -> line.substring(line.lastIndexOf('\t') + 1).strip())
                .anyMatch("overlay"::equals);
    }
}
