package dev.slipway.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.slipway.engine.snapshot.Snapshotters;
import dev.slipway.engine.testimages.HostileLayers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker load} of images carrying hostile layers, through the whole store on the host's snapshotter: each
 * is refused as {@code UNSAFE_LAYER} or contained, and a hash of everything beside the data dir plus the host's
 * /etc files the layers aim at is unchanged.
 */
class HostileImagesTest {

    @TempDir
    Path temp;

    @Test
    void hostileImagesAreRefusedOrContained() throws Exception {
        Path sentinel = Files.createDirectories(temp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("keep.txt"), "untouched");
        Path archives = Files.createDirectories(temp.resolve("archives"));
        List<Path> files = HostileLayers.writeArchives(archives, sentinel.toString());
        Path data = temp.resolve("data");
        LocalImageStore store = new LocalImageStore(data.resolve("images"), Snapshotters.forHost(data));
        String before = hash(sentinel, archives);
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("^hostile-", "").replaceFirst("\\.tar$", "");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, ImageStore.ProgressListener.NONE);
                if (!HostileLayers.CONTAINED.contains(name)) {
                    fail(name + " was loaded");
                }
                assertTrue(store.find("hostile-" + name).isPresent());
            } catch (ImageException e) {
                assertEquals(ImageException.Reason.UNSAFE_LAYER, e.reason(), name + ": " + e.getMessage());
                assertFalse(HostileLayers.CONTAINED.contains(name), name + " refused: " + e.getMessage());
                assertTrue(store.find("hostile-" + name).isEmpty());
            }
            assertEquals(before, hash(sentinel, archives), "nothing outside the data dir changed after " + name);
            assertFalse(Files.exists(Path.of("/etc", HostileLayers.TARGET), LinkOption.NOFOLLOW_LINKS));
        }
        assertEquals(HostileLayers.CONTAINED.size(), store.list().size());
    }

    /** Names, modes, owners, sizes, times, link targets and contents of the trees and host files outside data/. */
    private static String hash(Path... trees) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> paths = new java.util.ArrayList<>(List.of(Path.of("/etc/passwd"), Path.of("/etc/shadow"),
                Path.of("/etc/group")));
        for (Path tree : trees) {
            try (Stream<Path> walk = Files.walk(tree)) {
                paths.addAll(walk.sorted().toList());
            }
        }
        for (Path p : paths) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            md.update((p + a.permissions().toString() + a.owner() + a.size() + a.lastModifiedTime())
                    .getBytes(StandardCharsets.UTF_8));
            if (a.isRegularFile() && a.size() < 1 << 20 && Files.isReadable(p)) {
                md.update(Files.readAllBytes(p));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
