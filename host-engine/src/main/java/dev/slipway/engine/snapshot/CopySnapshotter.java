package dev.slipway.engine.snapshot;

import dev.slipway.engine.libc.Errno;
import dev.slipway.engine.libc.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Snapshotter for filesystems without overlayfs: every snapshot is a full copy of its parent's tree (as
 * containerd's "native" snapshotter), deletions are applied directly, and a container's view is a bind mount.
 * Costs disk and prepare time per container; correct everywhere.
 */
public final class CopySnapshotter extends DirectorySnapshotter {

    private static final long MS_BIND = 4096;

    public CopySnapshotter(Path root) throws IOException {
        super(root);
    }

    @Override
    protected void create(Path dir, Long parentId) throws IOException {
        Path fs = dir.resolve("fs");
        if (parentId == null) {
            Files.createDirectory(fs);
            Files.setPosixFilePermissions(fs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
            dev.slipway.engine.archive.FileTrees.copy(records.dir(parentId).resolve("fs"), fs);
        }
    }

    @Override
    protected void mountView(long id, Path target) throws IOException {
        String fs = records.dir(id).resolve("fs").toString();
        Errno.check(LibC.INSTANCE.mount(fs, target.toString(), null, MS_BIND, null), "bind mount " + fs);
    }

    @Override
    public WhiteoutStyle whiteoutStyle() {
        return WhiteoutStyle.APPLY;
    }
}
