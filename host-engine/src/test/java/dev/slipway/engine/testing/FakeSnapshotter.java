package dev.slipway.engine.testing;

import dev.slipway.engine.snapshot.Snapshotter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers snapshots and "mounts" in memory, so tests can check that the lifecycle releases them. */
public final class FakeSnapshotter implements Snapshotter {

    public final Set<String> snapshots = ConcurrentHashMap.newKeySet();
    public final Set<Path> mounted = ConcurrentHashMap.newKeySet();

    @Override
    public void prepare(String key, String parent) throws IOException {
        if (!snapshots.add(key)) {
            throw new IOException("exists: " + key);
        }
    }

    @Override
    public void commit(String name, String key) {
        snapshots.remove(key);
        snapshots.add(name);
    }

    @Override
    public Path writableDir(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void mount(String key, Path target) throws IOException {
        if (!snapshots.contains(key)) {
            throw new IOException("no snapshot " + key);
        }
        mounted.add(target);
    }

    @Override
    public void unmount(Path target) {
        mounted.remove(target);
    }

    @Override
    public void remove(String key) {
        snapshots.remove(key);
    }

    @Override
    public boolean exists(String key) {
        return snapshots.contains(key);
    }

    @Override
    public List<String> list() {
        return new ArrayList<>(snapshots);
    }

    @Override
    public long usage(String key) {
        return 0;
    }
}
