package dev.slipway.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshottersTest {

    @TempDir
    Path data;

    /** This machine has overlayfs (the engine's acceptance needs it): the probe must find it working. */
    @Test
    void picksOverlayWhereOverlayMountsWorkAndLeavesNoProbe() throws Exception {
        assertTrue(Snapshotters.overlaySupported(), "this host's kernel lists overlay in /proc/filesystems");
        assertInstanceOf(OverlaySnapshotter.class, Snapshotters.forHost(data));
        assertFalse(Files.exists(data.resolve("snapshots/overlay-probe")));
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains("overlay-probe"));
    }

    /** overlayfs refuses an upper dir on an overlay mount: the probe sees that and the copying one is chosen. */
    @Test
    void fallsBackToCopyWhereTheDataDirIsOnOverlay() throws Exception {
        OverlaySnapshotter outer = new OverlaySnapshotter(data.resolve("outer"));
        outer.prepare("base", null);
        outer.commit("base-layer", "base");
        outer.prepare("view", "base-layer");
        Path mnt = Files.createDirectories(data.resolve("mnt"));
        outer.mount("view", mnt);
        try {
            boolean works = Snapshotters.overlayMountWorks(Files.createDirectories(mnt.resolve("d")));
            assertFalse(works, "overlay upper dir on overlayfs is refused by the kernel");
            assertInstanceOf(CopySnapshotter.class, Snapshotters.forHost(mnt.resolve("engine")));
        } finally {
            outer.remove("view");
        }
    }
}
