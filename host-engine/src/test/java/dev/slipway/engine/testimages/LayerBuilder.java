package dev.slipway.engine.testimages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes one layer tar in memory, entry by entry, exactly as given (names are not cleaned, so hostile layers
 * can be built too). Entries are owned by root and dated {@link #MTIME} unless said otherwise, so the same
 * calls give the same bytes and digests.
 *
 * <pre>
 *   byte[] tar = new LayerBuilder().dir("etc", 0755).file("etc/motd", "hi\n").symlink("bin/sh", "busybox").tar();
 * </pre>
 */
public final class LayerBuilder {

    public static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;
    private int uid;
    private int gid;

    public LayerBuilder() {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** Owner of the entries added after this call. */
    public LayerBuilder owner(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
        return this;
    }

    public LayerBuilder dir(String path, int mode) {
        TarArchiveEntry e = entry(path.endsWith("/") ? path : path + "/", TarConstants.LF_DIR);
        e.setMode(040000 | mode);
        return add(e, null);
    }

    public LayerBuilder file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public LayerBuilder file(String path, byte[] content, int mode) {
        return file(path, content, mode, Map.of());
    }

    /** A regular file with extended attributes (written as PAX {@code SCHILY.xattr.<name>} headers). */
    public LayerBuilder file(String path, byte[] content, int mode, Map<String, String> xattrs) {
        TarArchiveEntry e = entry(path, TarConstants.LF_NORMAL);
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        xattrs.forEach((name, value) -> e.addPaxHeader("SCHILY.xattr." + name, value));
        return add(e, content);
    }

    /** A copy of a file of this host (e.g. {@code /bin/busybox}). */
    public LayerBuilder hostFile(String path, Path source, int mode) {
        try {
            return file(path, Files.readAllBytes(source), mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LayerBuilder symlink(String path, String target) {
        TarArchiveEntry e = entry(path, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        return add(e, null);
    }

    public LayerBuilder hardlink(String path, String target) {
        TarArchiveEntry e = entry(path, TarConstants.LF_LINK);
        e.setLinkName(target);
        e.setMode(0100644);
        return add(e, null);
    }

    /** Deletes {@code path} of the layers below: an entry {@code <dir>/.wh.<name>}. */
    public LayerBuilder whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
        return file(name, new byte[0], 0644);
    }

    /** Hides everything the layers below have in {@code dir}: an entry {@code <dir>/.wh..wh..opq}. */
    public LayerBuilder opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0], 0644);
    }

    public LayerBuilder charDevice(String path, int major, int minor) {
        TarArchiveEntry e = entry(path, TarConstants.LF_CHR);
        e.setMode(020666);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return add(e, null);
    }

    /** The finished, uncompressed layer tar. */
    public byte[] tar() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private TarArchiveEntry entry(String name, byte type) {
        // preserveAbsolutePath: keep the name exactly as given, so hostile names reach the unpacker intact
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(MTIME.toEpochMilli());
        return e;
    }

    private LayerBuilder add(TarArchiveEntry e, byte[] content) {
        try {
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }
}
