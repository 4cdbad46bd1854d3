package dev.slipway.engine.libc;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The engine's one binding of the C library. Calls return -1 and leave the reason in {@link #errno()}.
 * Methods are grouped by the part of the engine that needs them; add to your group, keep the signatures
 * those of the C prototypes, and use {@link Errno#check} to turn failures into exceptions.
 */
public interface LibC {

    LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");

    /** The calling thread's errno after the last failed call. */
    static int errno() {
        return jnr.ffi.Runtime.getRuntime(INSTANCE).getLastError();
    }

    // --- process and identity -------------------------------------------------------------------------------
    int getpid();

    int geteuid();

    int kill(int pid, int signal);

    String strerror(int errnum);

    // --- runtime: namespaces, mounts, signals, pidfds, prctl ------------------------------------------------
    int mount(String source, String target, String filesystemType, long flags, String data);

    int umount2(String target, int flags);

    int O_RDONLY = 0;
    int O_WRONLY = 1;

    /** close(2) is declared once, in the image store's group below. */
    int open(String pathname, int flags, int mode);

    // --- image store and snapshots: files, ownership, xattrs, timestamps -------------------------------------
    int lchown(String path, int owner, int group);

    int lsetxattr(String path, String name, @In byte[] value, long size, int flags);

    long lgetxattr(String path, String name, @Out byte[] value, long size);

    int mknod(String path, int mode, long dev);

    /** Used only on paths just verified (lstat) not to be symlinks: chmod follows links, and keeps setuid. */
    int chmod(String path, int mode);

    /** The new mount API: overlay lower dirs added one by one ("lowerdir+"), free of mount(2)'s page limit. */
    int fsopen(String fsName, int flags);

    int fsconfig(int fsFd, int cmd, String key, String value, int aux);

    int fsmount(int fsFd, int flags, int attrFlags);

    int move_mount(int fromDirFd, String fromPath, int toDirFd, String toPath, int flags);

    int close(int fd);

    // --- network (bridge, veth, netns) -----------------------------------------------------------------------
    int setns(int fd, int nstype);

}
