package dev.slipway.engine.snapshot;

import dev.slipway.engine.libc.Errno;
import dev.slipway.engine.libc.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * overlayfs snapshots: a committed snapshot's {@code fs} is one layer's diff (with overlay whiteouts), an
 * active snapshot's {@code fs} is the upper dir beside its own {@code work} dir, and its parents' {@code fs}
 * dirs are the lower dirs, nearest first.
 *
 * <p>mount(2) takes the options in one page (4096 bytes), which a deep image with long paths overflows. When
 * the option string does not fit, lower dirs are passed one at a time through the new mount API ({@code fsopen},
 * {@code fsconfig("lowerdir+")}, {@code fsmount}, {@code move_mount}; Linux 6.8+), which has no such limit.
 * Paths are also kept short ({@code <root>/snapshots/<n>/fs}) so the common case uses plain mount(2).
 */
public final class OverlaySnapshotter extends DirectorySnapshotter {

    private static final int PAGE_LIMIT = 4095;
    private static final int FSOPEN_CLOEXEC = 1;
    private static final int FSCONFIG_SET_STRING = 1;
    private static final int FSCONFIG_CMD_CREATE = 6;
    private static final int FSMOUNT_CLOEXEC = 1;
    private static final int AT_FDCWD = -100;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
    private static final long MS_BIND = 4096;

    public OverlaySnapshotter(Path root) throws IOException {
        super(root);
        if (root.toString().contains(",") || root.toString().contains(":")) {
            throw new IOException("overlay snapshotter root must not contain ',' or ':': " + root);
        }
    }

    @Override
    protected void create(Path dir, Long parentId) throws IOException {
        Path fs = Files.createDirectory(dir.resolve("fs"));
        Files.setPosixFilePermissions(fs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectory(dir.resolve("work"));
    }

    @Override
    protected void onCommit(Path dir) throws IOException {
        dev.slipway.engine.archive.FileTrees.delete(dir.resolve("work"));
    }

    @Override
    protected void mountView(long id, Path target) throws IOException {
        Path dir = records.dir(id);
        String key = records.info(id).key();
        List<String> lowers = records.ancestors(key).stream()
                .map(a -> records.dir(a).resolve("fs").toString()).toList();
        String upper = dir.resolve("fs").toString();
        String work = dir.resolve("work").toString();
        if (lowers.isEmpty()) {
            // overlayfs needs a lower dir; a base snapshot's view is its own dir
            Errno.check(LibC.INSTANCE.mount(upper, target.toString(), null, MS_BIND, null), "bind mount " + upper);
            return;
        }
        String options = "lowerdir=" + String.join(":", lowers) + ",upperdir=" + upper + ",workdir=" + work;
        if (options.length() <= PAGE_LIMIT) {
            Errno.check(LibC.INSTANCE.mount("overlay", target.toString(), "overlay", 0, options),
                    "mount overlay at " + target);
        } else {
            mountWithFsConfig(lowers, upper, work, target);
        }
    }

    private static void mountWithFsConfig(List<String> lowers, String upper, String work, Path target)
            throws IOException {
        LibC libc = LibC.INSTANCE;
        int fsFd = (int) Errno.check(libc.fsopen("overlay", FSOPEN_CLOEXEC), "fsopen overlay");
        try {
            for (String lower : lowers) {
                Errno.check(libc.fsconfig(fsFd, FSCONFIG_SET_STRING, "lowerdir+", lower, 0), "fsconfig lowerdir+");
            }
            Errno.check(libc.fsconfig(fsFd, FSCONFIG_SET_STRING, "upperdir", upper, 0), "fsconfig upperdir");
            Errno.check(libc.fsconfig(fsFd, FSCONFIG_SET_STRING, "workdir", work, 0), "fsconfig workdir");
            Errno.check(libc.fsconfig(fsFd, FSCONFIG_CMD_CREATE, null, null, 0), "fsconfig create overlay");
            int mountFd = (int) Errno.check(libc.fsmount(fsFd, FSMOUNT_CLOEXEC, 0), "fsmount overlay");
            try {
                Errno.check(libc.move_mount(mountFd, "", AT_FDCWD, target.toString(), MOVE_MOUNT_F_EMPTY_PATH),
                        "move_mount overlay to " + target);
            } finally {
                libc.close(mountFd);
            }
        } finally {
            libc.close(fsFd);
        }
    }

    @Override
    public WhiteoutStyle whiteoutStyle() {
        return WhiteoutStyle.OVERLAY;
    }
}
