package dev.slipway.engine.snapshot;

import dev.slipway.engine.archive.FileTrees;
import dev.slipway.engine.libc.Errno;
import dev.slipway.engine.libc.LibC;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The lifecycle shared by snapshotters that keep each snapshot in a directory ({@code <root>/snapshots/<id>/fs});
 * subclasses decide what {@code fs} starts as and how a view is mounted.
 */
abstract class DirectorySnapshotter implements Snapshotter {

    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;

    protected final Path root;
    protected final SnapshotRecords records;

    protected DirectorySnapshotter(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
        this.records = new SnapshotRecords(this.root);
    }

    /** Fills a new snapshot's dir: {@code fs} (and whatever else) given its parent's id (null: no parent). */
    protected abstract void create(Path dir, Long parentId) throws IOException;

    /** Mounts active snapshot {@code id}'s view at {@code target}. */
    protected abstract void mountView(long id, Path target) throws IOException;

    /** Drops what only an active snapshot needs when it becomes committed. */
    protected void onCommit(Path dir) throws IOException {
    }

    @Override
    public synchronized void prepare(String key, String parent) throws IOException {
        if (records.id(key).isPresent()) {
            throw new FileAlreadyExistsException("snapshot " + key + " already exists");
        }
        Long parentId = null;
        if (parent != null) {
            parentId = records.require(parent);
            if (records.info(parentId).kind() != SnapshotRecords.Kind.COMMITTED) {
                throw new IOException("parent " + parent + " is not committed");
            }
        }
        long id = records.allocate();
        try {
            create(records.dir(id), parentId);
            records.put(id, new SnapshotRecords.Info(key, parent, SnapshotRecords.Kind.ACTIVE, null));
        } catch (IOException | RuntimeException e) {
            records.discard(id);
            throw e;
        }
    }

    @Override
    public synchronized void commit(String name, String key) throws IOException {
        long id = records.require(key);
        SnapshotRecords.Info info = records.info(id);
        if (info.kind() != SnapshotRecords.Kind.ACTIVE) {
            throw new IOException("snapshot " + key + " is already committed");
        }
        if (info.mountedAt() != null) {
            throw new IOException("snapshot " + key + " is mounted at " + info.mountedAt() + ": unmount it first");
        }
        if (records.id(name).isPresent()) {
            throw new FileAlreadyExistsException("snapshot " + name + " already exists");
        }
        onCommit(records.dir(id));
        records.put(id, new SnapshotRecords.Info(name, info.parent(), SnapshotRecords.Kind.COMMITTED, null));
    }

    @Override
    public synchronized Path writableDir(String key) throws IOException {
        long id = records.require(key);
        if (records.info(id).kind() != SnapshotRecords.Kind.ACTIVE) {
            throw new IOException("snapshot " + key + " is committed and cannot change");
        }
        return records.dir(id).resolve("fs");
    }

    @Override
    public synchronized void mount(String key, Path target) throws IOException {
        long id = records.require(key);
        SnapshotRecords.Info info = records.info(id);
        if (info.kind() != SnapshotRecords.Kind.ACTIVE) {
            throw new IOException("only an active snapshot can be mounted; " + key + " is committed");
        }
        if (info.mountedAt() != null) {
            throw new IOException("snapshot " + key + " is already mounted at " + info.mountedAt());
        }
        Path realTarget = target.toRealPath();
        mountView(id, realTarget);
        records.put(id, info.withMount(realTarget.toString()));
    }

    @Override
    public synchronized void unmount(Path target) throws IOException {
        Path realTarget = Files.exists(target) ? target.toRealPath() : target.toAbsolutePath();
        int result = LibC.INSTANCE.umount2(realTarget.toString(), MNT_DETACH);
        if (result < 0 && LibC.errno() != EINVAL && LibC.errno() != 2 /* ENOENT */) {
            Errno.check(result, "umount2 " + realTarget);
        }
        var id = records.mountedAt(realTarget.toString());
        if (id.isPresent()) {
            records.put(id.get(), records.info(id.get()).withMount(null));
        }
    }

    @Override
    public synchronized void remove(String key) throws IOException {
        long id = records.require(key);
        if (records.hasChildren(key)) {
            throw new IOException("snapshot " + key + " has children and cannot be removed");
        }
        String mountedAt = records.info(id).mountedAt();
        if (mountedAt != null) {
            unmount(Path.of(mountedAt));
        }
        records.delete(id);
    }

    @Override
    public synchronized boolean exists(String key) {
        return records.id(key).isPresent();
    }

    @Override
    public synchronized List<String> list() {
        return records.keys();
    }

    @Override
    public synchronized long usage(String key) throws IOException {
        return FileTrees.usage(records.dir(records.require(key)).resolve("fs"));
    }

    @Override
    public synchronized String parent(String key) throws IOException {
        return records.info(records.require(key)).parent();
    }
}
