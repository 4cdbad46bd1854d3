package dev.slipway.engine.archive;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/** Whole-tree operations that never follow symlinks, for snapshot and image dirs. */
public final class FileTrees {
    private FileTrees() {
    }

    /** {@code lstat}: the attributes of the path itself, or null if nothing is there. */
    public static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes a file, a link (not its target) or a whole directory tree; no-op if nothing is there. */
    public static void delete(Path path) throws IOException {
        BasicFileAttributes attrs = lstat(path);
        if (attrs == null) {
            return;
        }
        if (!attrs.isDirectory()) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Bytes of regular-file content in a tree (links and dirs not counted). */
    public static long usage(Path root) throws IOException {
        if (lstat(root) == null) {
            return 0;
        }
        AtomicLong total = new AtomicLong();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    total.addAndGet(a.size());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total.get();
    }

    /**
     * Copies a tree with everything a rootfs needs kept (owners, modes incl. setuid, xattrs, hard links, device
     * whiteouts, times). GNU {@code cp -a} does all of that correctly, which a Java copy would have to redo.
     */
    public static void copy(Path source, Path target) throws IOException {
        Process process = new ProcessBuilder("cp", "-a", "--reflink=auto", "--no-target-directory",
                source.toString(), target.toString()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException("cp -a " + source + " " + target + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying " + source, e);
        }
    }
}
