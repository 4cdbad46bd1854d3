package dev.slipway.engine.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.content.Digest;
import dev.slipway.engine.libc.LibC;
import dev.slipway.engine.snapshot.WhiteoutStyle;
import dev.slipway.engine.testimages.LayerBuilder;
import dev.slipway.engine.testimages.TestImage;
import dev.slipway.engine.testimages.TestImages;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {

    @TempDir
    Path root;

    @Test
    void unpacksBusyboxLayerWithDigestLinksAndModes() throws Exception {
        byte[] layer = TestImages.busyboxLayer();
        var result = new LayerUnpacker(WhiteoutStyle.OVERLAY)
                .unpack(new ByteArrayInputStream(TestImage.gzip(layer)), root);
        assertEquals(Digest.sha256(layer), result.diffId(), "diff id is the digest of the uncompressed tar");
        assertTrue(Files.isExecutable(root.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(root.resolve("bin/sh")));
        assertEquals(01777, mode(root.resolve("tmp")));
        assertEquals(LayerBuilder.MTIME.toEpochMilli(), Files.getLastModifiedTime(root.resolve("etc")).toMillis());
    }

    @Test
    void keepsOwnerSetuidAndXattrs() throws Exception {
        byte[] layer = new LayerBuilder().owner(1000, 2000)
                .file("su", new byte[] {1}, 04755, Map.of("user.origin", "slipway"))
                .file("evil", new byte[] {1}, 0644, Map.of("trusted.overlay.redirect", "/etc"))
                .tar();
        var result = new LayerUnpacker(WhiteoutStyle.OVERLAY).unpack(new ByteArrayInputStream(layer), root);
        Path su = root.resolve("su");
        assertEquals(04755, mode(su));
        assertEquals(1000, Files.getAttribute(su, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(2000, Files.getAttribute(su, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        byte[] value = new byte[64];
        long n = LibC.INSTANCE.lgetxattr(su.toString(), "user.origin", value, value.length);
        assertEquals("slipway", new String(value, 0, (int) n));
        assertTrue(LibC.INSTANCE.lgetxattr(root.resolve("evil").toString(), "trusted.overlay.redirect",
                value, value.length) < 0, "trusted.* xattrs from a layer are not applied");
        assertEquals(1, result.warnings().size());
    }

    @Test
    void overlayStyleWritesWhiteoutDevicesAndOpaqueXattr() throws Exception {
        byte[] layer = new LayerBuilder().dir("etc", 0755).whiteout("etc/motd").dir("opt", 0755).opaque("opt").tar();
        new LayerUnpacker(WhiteoutStyle.OVERLAY).unpack(new ByteArrayInputStream(layer), root);
        PosixFileAttributes motd = attrs(root.resolve("etc/motd"));
        assertTrue(motd.isOther(), "a whiteout is a character device");
        assertEquals(0L, Files.getAttribute(root.resolve("etc/motd"), "unix:rdev", LinkOption.NOFOLLOW_LINKS));
        byte[] value = new byte[8];
        long n = LibC.INSTANCE.lgetxattr(root.resolve("opt").toString(), "trusted.overlay.opaque", value, 8);
        assertEquals("y", new String(value, 0, (int) n));
        assertFalse(Files.exists(root.resolve("opt/.wh..wh..opq"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void applyStyleDeletesWhiteoutsAndEmptiesOpaqueDirs() throws Exception {
        LayerUnpacker unpacker = new LayerUnpacker(WhiteoutStyle.APPLY);
        unpacker.unpack(new ByteArrayInputStream(TestImages.busyboxLayer()), root);
        byte[] second = TestImages.busyboxTwoLayers().layers().get(1);
        unpacker.unpack(new ByteArrayInputStream(second), root);
        assertFalse(Files.exists(root.resolve("etc/motd"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(root.resolve("etc/passwd")));
        assertFalse(Files.exists(root.resolve("opt/old.txt")));
        assertEquals("new\n", Files.readString(root.resolve("opt/new.txt")));
        assertEquals("hello from layer 2\n", Files.readString(root.resolve("hello.txt")));
    }

    @Test
    void hardlinkWithinLayerSharesInode() throws Exception {
        byte[] layer = new LayerBuilder().file("a", "content").hardlink("b", "a").hardlink("c", "/a").tar();
        new LayerUnpacker(WhiteoutStyle.OVERLAY).unpack(new ByteArrayInputStream(layer), root);
        Object inode = Files.getAttribute(root.resolve("a"), "unix:ino");
        assertEquals(inode, Files.getAttribute(root.resolve("b"), "unix:ino"));
        assertEquals(inode, Files.getAttribute(root.resolve("c"), "unix:ino"));
    }

    @Test
    void replacesSymlinkAtFinalComponentInsteadOfWritingThroughIt() throws Exception {
        Path outside = Files.createTempFile("slipway-outside", ".txt");
        try {
            Files.writeString(outside, "keep");
            byte[] layer = new LayerBuilder().symlink("f", outside.toString()).file("f", "new").tar();
            new LayerUnpacker(WhiteoutStyle.OVERLAY).unpack(new ByteArrayInputStream(layer), root);
            assertEquals("keep", Files.readString(outside));
            assertEquals("new", Files.readString(root.resolve("f")));
        } finally {
            Files.delete(outside);
        }
    }

    static int mode(Path p) throws Exception {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    static PosixFileAttributes attrs(Path p) throws Exception {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
