package dev.slipway.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.archive.LayerUnpacker;
import dev.slipway.engine.testimages.LayerBuilder;
import dev.slipway.engine.testimages.TestImage;
import dev.slipway.engine.testimages.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Snapshotter} must have, in the manner of containerd's snapshots testsuite. Each
 * implementation's test extends this class and says how to make one on a root dir. Mounts are real.
 */
abstract class SnapshotterContractTest {

    @TempDir
    Path temp;

    private Path mountPoint;

    protected abstract Snapshotter create(Path root) throws IOException;

    private Path root() {
        return temp.resolve("root");
    }

    @AfterEach
    void unmountLeftovers() throws IOException {
        if (mountPoint != null) {
            dev.slipway.engine.libc.LibC.INSTANCE.umount2(mountPoint.toString(), 2);
        }
    }

    /** Unpacks {@code layers} as committed snapshots named layer0, layer1, ... (each the parent of the next). */
    private String commitLayers(Snapshotter s, byte[]... layers) throws Exception {
        String parent = null;
        for (int i = 0; i < layers.length; i++) {
            String key = "extract-" + i;
            s.prepare(key, parent);
            new LayerUnpacker(s.whiteoutStyle()).unpack(new ByteArrayInputStream(layers[i]), s.writableDir(key));
            s.commit("layer" + i, key);
            parent = "layer" + i;
        }
        return parent;
    }

    private Path mountPoint() throws IOException {
        mountPoint = Files.createDirectories(temp.resolve("mnt"));
        return mountPoint;
    }

    @Test
    void prepareCommitRemoveLifecycle() throws Exception {
        Snapshotter s = create(root());
        s.prepare("active", null);
        Files.writeString(s.writableDir("active").resolve("f"), "x");
        s.commit("committed", "active");
        assertFalse(s.exists("active"));
        assertTrue(s.exists("committed"));
        assertEquals(List.of("committed"), s.list());
        assertTrue(s.usage("committed") >= 1);
        assertThrows(IOException.class, () -> s.writableDir("committed"), "committed snapshots never change");
        assertThrows(IOException.class, () -> s.prepare("committed", null), "keys are unique");
        s.remove("committed");
        assertTrue(s.list().isEmpty());
    }

    @Test
    void multiLayerViewShowsMergedContentWithWhiteoutsApplied() throws Exception {
        Snapshotter s = create(root());
        TestImage image = TestImages.busyboxTwoLayers();
        String top = commitLayers(s, image.layers().toArray(byte[][]::new));
        s.prepare("container", top);
        Path mnt = mountPoint();
        s.mount("container", mnt);
        assertTrue(Files.isExecutable(mnt.resolve("bin/busybox")));
        assertEquals("hello from layer 2\n", Files.readString(mnt.resolve("hello.txt")));
        assertTrue(Files.exists(mnt.resolve("etc/passwd")));
        assertFalse(Files.exists(mnt.resolve("etc/motd"), LinkOption.NOFOLLOW_LINKS), "whiteout hides /etc/motd");
        assertFalse(Files.exists(mnt.resolve("opt/old.txt")), "opaque /opt hides the lower layer's files");
        assertEquals("new\n", Files.readString(mnt.resolve("opt/new.txt")));
        // a container's writes land in its own snapshot, never in the committed layers
        Files.writeString(mnt.resolve("etc/passwd"), "changed\n");
        Files.delete(mnt.resolve("hello.txt"));
        s.unmount(mnt);
        s.prepare("second", top);
        s.mount("second", mnt);
        assertTrue(Files.readString(mnt.resolve("etc/passwd")).startsWith("root:"));
        assertTrue(Files.exists(mnt.resolve("hello.txt")));
        s.unmount(mnt);
    }

    @Test
    void childrenBlockParentRemoval() throws Exception {
        Snapshotter s = create(root());
        String top = commitLayers(s, new LayerBuilder().file("a", "1").tar(), new LayerBuilder().file("b", "2").tar());
        assertEquals("layer0", s.parent(top));
        s.prepare("container", top);
        assertThrows(IOException.class, () -> s.remove(top));
        assertThrows(IOException.class, () -> s.remove("layer0"));
        s.remove("container");
        s.remove(top);
        s.remove("layer0");
        assertTrue(s.list().isEmpty());
    }

    @Test
    void removalLeavesNothingMountedAndNothingOnDisk() throws Exception {
        Snapshotter s = create(root());
        String top = commitLayers(s, new LayerBuilder().file("a", "1").tar());
        s.prepare("container", top);
        Path mnt = mountPoint();
        s.mount("container", mnt);
        Files.writeString(mnt.resolve("written"), "by the container");
        s.remove("container");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + mnt + " "),
                "remove unmounted the view");
        s.remove(top);
        try (var left = Files.walk(root())) {
            List<Path> files = left.filter(p -> !Files.isDirectory(p)).toList();
            assertEquals(List.of(), files, "nothing of removed snapshots remains on disk");
        }
        try (var dirs = Files.list(root().resolve("snapshots"))) {
            assertEquals(0, dirs.count());
        }
    }

    @Test
    void stateSurvivesANewInstanceOnTheSameRoot() throws Exception {
        Snapshotter first = create(root());
        String top = commitLayers(first, new LayerBuilder().file("a", "1").tar());
        first.prepare("container", top);
        Snapshotter second = create(root());
        assertEquals(List.of("container", "layer0").stream().sorted().toList(), second.list().stream().sorted().toList());
        assertEquals(top, second.parent("container"));
        Path mnt = mountPoint();
        second.mount("container", mnt);
        assertEquals("1", Files.readString(mnt.resolve("a")));
        second.remove("container");
        assertThrows(IOException.class, () -> second.writableDir("container"));
    }

    @Test
    void unknownKeysAreErrors() throws Exception {
        Snapshotter s = create(root());
        assertThrows(IOException.class, () -> s.prepare("x", "no-such-parent"));
        assertThrows(IOException.class, () -> s.remove("nothing"));
        assertFalse(s.exists("x"), "a failed prepare leaves no snapshot");
        s.unmount(temp.resolve("never-mounted"));
    }
}
