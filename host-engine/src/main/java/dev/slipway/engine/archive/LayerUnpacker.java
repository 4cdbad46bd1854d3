package dev.slipway.engine.archive;

import dev.slipway.engine.content.Digest;
import dev.slipway.engine.libc.Errno;
import dev.slipway.engine.libc.LibC;
import dev.slipway.engine.snapshot.WhiteoutStyle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one image layer (a tar, gzip'd or not) into a snapshot's writable dir, so that nothing outside that
 * dir can change whatever the tar contains.
 *
 * <p>Rules, checked on every entry before anything is written for it:
 * <ul>
 *   <li>Names are reduced to components under the root: leading {@code /} is dropped (contained), a {@code ..}
 *   component refuses the layer.</li>
 *   <li>Every parent component is looked at with {@code lstat} (never followed): a symlink or non-directory on
 *   the way refuses the layer, so a tar cannot plant {@code etc -> /etc} and then write {@code etc/passwd}.
 *   Missing parents are created as 0755 directories.</li>
 *   <li>The final component is replaced, never written through: an existing entry is removed first and files
 *   are created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}.</li>
 *   <li>Hard links may only point at an entry already present under the root (this layer, or the parent's
 *   tree for the copying snapshotter); a link to anything else refuses the layer.</li>
 *   <li>Device nodes are skipped with a warning: a container gets its own minimal {@code /dev} from the
 *   runtime, and a device node in an image's filesystem would be a way to reach host hardware.</li>
 *   <li>Owner, mode (setuid/setgid/sticky kept, as Docker does), mtime and {@code SCHILY.xattr.*} extended
 *   attributes are kept, except {@code trusted.*} and {@code security.selinux} xattrs, which would let a
 *   layer steer overlayfs or the host's labels.</li>
 *   <li>Whiteouts ({@code .wh.name}, {@code .wh..wh..opq}) become overlayfs whiteouts or are applied at once,
 *   per {@link WhiteoutStyle}.</li>
 * </ul>
 * The uncompressed stream is hashed while unpacking: the result's {@code diffId} must match the image config.
 * Not thread-safe per root: one unpacker run per writable dir at a time.
 */
public final class LayerUnpacker {

    private static final Logger LOG = Logger.getLogger(LayerUnpacker.class.getName());
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final WhiteoutStyle whiteoutStyle;

    public LayerUnpacker(WhiteoutStyle whiteoutStyle) {
        this.whiteoutStyle = whiteoutStyle;
    }

    /** What an unpack did: the uncompressed digest, bytes of file content, and entries skipped and why. */
    public record Result(Digest diffId, long size, List<String> warnings) {
    }

    public Result unpack(InputStream layer, Path root) throws IOException, UnsafeLayerException {
        MessageDigest sha256 = Digest.newMessageDigest("sha256");
        DigestInputStream uncompressed = new DigestInputStream(Decompression.decompressed(layer), sha256);
        Run run = new Run(root.toRealPath());
        TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed);
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            run.apply(entry, tar);
        }
        run.finish();
        // diff_ids cover the whole uncompressed stream, including tar's end-of-archive padding.
        uncompressed.transferTo(OutputStream.nullOutputStream());
        return new Result(Digest.of("sha256", sha256.digest()), run.size, List.copyOf(run.warnings));
    }

    /** State of one unpack: the root, what this layer wrote, dirs whose mtime is set last. */
    private final class Run {
        private final Path root;
        private final Set<Path> written = new HashSet<>();
        private final Map<Path, FileTime> dirTimes = new LinkedHashMap<>();
        private final List<String> warnings = new ArrayList<>();
        private long size;

        Run(Path root) {
            this.root = root;
        }

        void apply(TarArchiveEntry entry, InputStream content) throws IOException, UnsafeLayerException {
            LayerPath name = LayerPath.parse(entry.getName());
            if (name.isRoot()) {
                return; // the root's own metadata belongs to the snapshot, not the layer
            }
            Path parent = parentDir(name, entry.getName());
            String base = name.base();
            if (base.equals(OPAQUE)) {
                opaque(parent);
                return;
            }
            if (base.startsWith(WHITEOUT_PREFIX)) {
                whiteout(parent, base.substring(WHITEOUT_PREFIX.length()), entry.getName());
                return;
            }
            Path path = parent.resolve(base);
            if (entry.isCharacterDevice() || entry.isBlockDevice()) {
                warn("skipped device node " + name + " (containers get their own /dev)");
                return;
            }
            if (entry.isDirectory()) {
                directory(path);
            } else if (entry.isSymbolicLink()) {
                replace(path);
                Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                Path target = existingEntry(entry.getLinkName(), entry.getName());
                replace(path);
                Files.createLink(path, target);
                written.add(path);
                return; // a hard link shares its target's inode and metadata
            } else if (entry.isFIFO()) {
                replace(path);
                Errno.check(LibC.INSTANCE.mknod(path.toString(), S_IFIFO | 0600, 0), "mknod " + name);
            } else if (entry.isFile()) {
                replace(path);
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    size += content.transferTo(out);
                }
            } else {
                warn("skipped " + name + ": unsupported tar entry type '" + (char) entry.getLinkFlag() + "'");
                return;
            }
            written.add(path);
            metadata(path, entry);
        }

        void finish() throws IOException {
            List<Path> dirs = new ArrayList<>(dirTimes.keySet());
            // deepest first, so setting a child's time cannot disturb its parent's afterwards
            dirs.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
            for (Path dir : dirs) {
                setTimes(dir, dirTimes.get(dir));
            }
        }

        /** Walks (and creates) the parent directories, refusing symlinks and non-directories on the way. */
        private Path parentDir(LayerPath name, String raw) throws IOException, UnsafeLayerException {
            Path dir = root;
            for (String component : name.parentComponents()) {
                dir = dir.resolve(component);
                BasicFileAttributes attrs = lstat(dir);
                if (attrs == null) {
                    Files.createDirectory(dir);
                    written.add(dir);
                } else if (attrs.isSymbolicLink()) {
                    throw new UnsafeLayerException("entry '" + raw + "' goes through symlink "
                            + root.relativize(dir) + " (writes through links could leave the rootfs)");
                } else if (!attrs.isDirectory()) {
                    throw new UnsafeLayerException("entry '" + raw + "' has a non-directory parent "
                            + root.relativize(dir));
                }
            }
            return dir;
        }

        /** Resolves a hard link's target to an entry that exists under the root, without following links. */
        private Path existingEntry(String linkName, String raw) throws IOException, UnsafeLayerException {
            LayerPath target = LayerPath.parse(linkName);
            if (target.isRoot()) {
                throw new UnsafeLayerException("hard link '" + raw + "' points at the root");
            }
            Path dir = root;
            for (String component : target.parentComponents()) {
                dir = dir.resolve(component);
                BasicFileAttributes attrs = lstat(dir);
                if (attrs == null || !attrs.isDirectory()) {
                    throw new UnsafeLayerException("hard link '" + raw + "' -> '" + linkName
                            + "': target is not inside this layer's tree");
                }
            }
            Path path = dir.resolve(target.base());
            BasicFileAttributes attrs = lstat(path);
            if (attrs == null || attrs.isDirectory()) {
                throw new UnsafeLayerException("hard link '" + raw + "' -> '" + linkName
                        + "': target is not a file already unpacked in this layer's tree");
            }
            return path;
        }

        private void directory(Path path) throws IOException {
            BasicFileAttributes attrs = lstat(path);
            if (attrs == null || !attrs.isDirectory()) {
                replace(path);
                Files.createDirectory(path);
            }
        }

        private void whiteout(Path parent, String deleted, String raw) throws IOException, UnsafeLayerException {
            if (deleted.isEmpty() || deleted.equals(".") || deleted.equals("..")) {
                throw new UnsafeLayerException("invalid whiteout entry '" + raw + "'");
            }
            Path path = parent.resolve(deleted);
            replace(path);
            if (whiteoutStyle == WhiteoutStyle.OVERLAY) {
                Errno.check(LibC.INSTANCE.mknod(path.toString(), S_IFCHR, 0), "mknod whiteout " + raw);
                written.add(path);
            }
        }

        private void opaque(Path dir) throws IOException {
            if (whiteoutStyle == WhiteoutStyle.OVERLAY) {
                byte[] y = "y".getBytes(StandardCharsets.US_ASCII);
                Errno.check(LibC.INSTANCE.lsetxattr(dir.toString(), "trusted.overlay.opaque", y, y.length, 0),
                        "lsetxattr opaque " + root.relativize(dir));
                return;
            }
            // the copy holds the parent's tree: hide what lower layers put here, keep what this layer wrote
            try (var children = Files.list(dir)) {
                for (Path child : children.toList()) {
                    if (!written.contains(child)) {
                        deleteTree(child);
                    }
                }
            }
        }

        /** Removes whatever is at {@code path} (a link itself, never its target) so a new entry can be made. */
        private void replace(Path path) throws IOException {
            BasicFileAttributes attrs = lstat(path);
            if (attrs != null) {
                deleteTree(path);
            }
        }

        private void metadata(Path path, TarArchiveEntry entry) throws IOException {
            String p = path.toString();
            boolean symlink = entry.isSymbolicLink();
            Errno.check(LibC.INSTANCE.lchown(p, (int) entry.getLongUserId(), (int) entry.getLongGroupId()),
                    "lchown " + entry.getName());
            if (!symlink) {
                // after lchown: chown clears setuid/setgid, and Docker keeps them
                Errno.check(LibC.INSTANCE.chmod(p, entry.getMode() & 07777), "chmod " + entry.getName());
            }
            for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
                if (header.getKey().startsWith("SCHILY.xattr.")) {
                    xattr(path, header.getKey().substring("SCHILY.xattr.".length()), header.getValue(), entry);
                }
            }
            FileTime mtime = entry.getLastModifiedTime();
            if (entry.isDirectory()) {
                dirTimes.put(path, mtime);
            } else {
                setTimes(path, mtime);
            }
        }

        private void xattr(Path path, String name, String value, TarArchiveEntry entry) throws IOException {
            if (name.startsWith("trusted.") || name.equals("security.selinux")) {
                warn("ignored xattr " + name + " on " + entry.getName() + " (reserved for the host)");
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (LibC.INSTANCE.lsetxattr(path.toString(), name, bytes, bytes.length, 0) < 0) {
                // e.g. user.* on a symlink (EPERM) or a filesystem without xattrs (ENOTSUP): the file is still right
                int errno = LibC.errno();
                warn("could not set xattr " + name + " on " + entry.getName() + ": " + LibC.INSTANCE.strerror(errno));
            }
        }

        private void warn(String message) {
            LOG.warning(message);
            warnings.add(message);
        }
    }

    private static void setTimes(Path path, FileTime mtime) throws IOException {
        if (mtime != null) {
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(mtime, mtime, null);
        }
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
        return FileTrees.lstat(path);
    }

    private static void deleteTree(Path path) throws IOException {
        FileTrees.delete(path);
    }
}
