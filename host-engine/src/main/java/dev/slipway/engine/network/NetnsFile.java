package dev.slipway.engine.network;

import dev.slipway.engine.libc.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's network namespace kept alive by an nsfs bind mount on a file, so the engine can configure it
 * before the container's process exists and the runtime can join it by path. Made with util-linux
 * {@code unshare --net=<file>}: unshare(2) from the JVM would move only the calling thread, and a forked child does
 * the unshare and the bind mount in one step without touching the engine's own namespace.
 */
final class NetnsFile {

    private static final int MNT_DETACH = 2;

    private NetnsFile() {
    }

    /** Creates the namespace (with only {@code lo}, down) pinned at {@code path}; an existing one is kept. */
    static void create(Path path) throws IOException {
        if (isPinned(path)) {
            return;
        }
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        Files.createFile(path);
        try {
            HostCommand.run(List.of("unshare", "--net=" + path, "true"));
        } catch (IOException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Whether a namespace is mounted at {@code path} (its nsfs inode differs from a plain file's). */
    static boolean isPinned(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(path.toString())) {
                return true;
            }
        }
        return false;
    }

    /** Unmounts and deletes; the namespace and everything in it (eth0, its veth peer) goes with its last user. */
    static void remove(Path path) throws IOException {
        while (isPinned(path)) {
            if (LibC.INSTANCE.umount2(path.toString(), MNT_DETACH) != 0) {
                throw new IOException("umount " + path + ": " + LibC.INSTANCE.strerror(LibC.errno()));
            }
        }
        Files.deleteIfExists(path);
    }
}
