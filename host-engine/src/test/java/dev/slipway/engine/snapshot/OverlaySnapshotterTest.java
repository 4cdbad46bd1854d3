package dev.slipway.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OverlaySnapshotterTest extends SnapshotterContractTest {

    @Override
    protected Snapshotter create(Path root) throws IOException {
        return new OverlaySnapshotter(root);
    }

    /** Enough layers that mount(2)'s one-page option string overflows: the fsconfig("lowerdir+") path mounts. */
    @Test
    void mountsMoreLowerDirsThanFitInOnePage() throws Exception {
        Path deep = Files.createDirectories(temp.resolve("a-rather-long-directory-name-to-make-paths-long".repeat(2)));
        Snapshotter s = create(deep);
        String parent = null;
        int layers = 80;
        for (int i = 0; i < layers; i++) {
            s.prepare("extract", parent);
            Files.writeString(s.writableDir("extract").resolve("f" + i), Integer.toString(i));
            s.commit("layer" + i, "extract");
            parent = "layer" + i;
        }
        String lower = deep.toRealPath().resolve("snapshots/1/fs").toString();
        assertTrue(layers * (lower.length() + 1) > 4096, "the option string would not fit one page");
        s.prepare("container", parent);
        Path mnt = Files.createDirectories(temp.resolve("deep-mnt"));
        s.mount("container", mnt);
        try {
            assertEquals("0", Files.readString(mnt.resolve("f0")));
            assertEquals("79", Files.readString(mnt.resolve("f79")));
        } finally {
            s.unmount(mnt);
        }
    }
}
