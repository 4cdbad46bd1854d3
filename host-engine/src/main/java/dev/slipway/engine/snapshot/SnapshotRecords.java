package dev.slipway.engine.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.archive.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The on-disk records of a directory snapshotter: {@code <root>/snapshots/<id>/info.json} beside the
 * snapshot's own dirs. Ids are short numbers so overlay mount options stay short and keys may hold any
 * character. Each record is replaced atomically (temp file + rename); a snapshot dir without a record is a
 * crash leftover and is deleted at start, as is everything under {@code <root>/trash}. Not thread-safe: the
 * snapshotter serialises calls.
 */
final class SnapshotRecords {

    enum Kind { ACTIVE, COMMITTED }

    /** One snapshot: {@code mountedAt} is where {@link Snapshotter#mount} last put it, so remove can undo it. */
    record Info(String key, String parent, Kind kind, String mountedAt) {
        Info withMount(String target) {
            return new Info(key, parent, kind, target);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path snapshots;
    private final Path trash;
    private final Map<String, Long> idsByKey = new HashMap<>();
    private final Map<Long, Info> infos = new HashMap<>();
    private long nextId = 1;

    SnapshotRecords(Path root) throws IOException {
        this.snapshots = root.resolve("snapshots");
        this.trash = root.resolve("trash");
        Files.createDirectories(snapshots);
        Files.createDirectories(trash);
        FileTrees.delete(trash);
        Files.createDirectories(trash);
        try (Stream<Path> dirs = Files.list(snapshots)) {
            for (Path dir : dirs.toList()) {
                long id = Long.parseLong(dir.getFileName().toString());
                nextId = Math.max(nextId, id + 1);
                Path file = dir.resolve("info.json");
                if (!Files.exists(file)) {
                    FileTrees.delete(dir);
                    continue;
                }
                Info info = JSON.readValue(file.toFile(), Info.class);
                infos.put(id, info);
                idsByKey.put(info.key(), id);
            }
        }
    }

    Optional<Long> id(String key) {
        return Optional.ofNullable(idsByKey.get(key));
    }

    long require(String key) throws IOException {
        Long id = idsByKey.get(key);
        if (id == null) {
            throw new NoSuchFileException("snapshot " + key + " does not exist");
        }
        return id;
    }

    Info info(long id) {
        return infos.get(id);
    }

    Path dir(long id) {
        return snapshots.resolve(Long.toString(id));
    }

    /** Allocates an id and its empty dir; the snapshot exists once {@link #put} has written its record. */
    long allocate() throws IOException {
        long id = nextId++;
        Files.createDirectories(dir(id));
        return id;
    }

    void put(long id, Info info) throws IOException {
        Path temp = dir(id).resolve("info.json.tmp");
        JSON.writeValue(temp.toFile(), info);
        Files.move(temp, dir(id).resolve("info.json"), StandardCopyOption.ATOMIC_MOVE);
        Info old = infos.put(id, info);
        if (old != null && !old.key().equals(info.key())) {
            idsByKey.remove(old.key());
        }
        idsByKey.put(info.key(), id);
    }

    /** Forgets the snapshot at once (rename into trash) and then deletes its files. */
    void delete(long id) throws IOException {
        Info info = infos.remove(id);
        if (info != null) {
            idsByKey.remove(info.key());
        }
        Path moved = trash.resolve(Long.toString(id));
        Files.move(dir(id), moved, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.delete(moved);
    }

    /** Discards an allocated id whose record was never written. */
    void discard(long id) throws IOException {
        FileTrees.delete(dir(id));
    }

    List<String> keys() {
        return new ArrayList<>(idsByKey.keySet());
    }

    boolean hasChildren(String key) {
        return infos.values().stream().anyMatch(i -> key.equals(i.parent()));
    }

    Optional<Long> mountedAt(String target) {
        return infos.entrySet().stream().filter(e -> target.equals(e.getValue().mountedAt()))
                .map(Map.Entry::getKey).findFirst();
    }

    /** Ids from {@code key}'s parent up to the base, nearest first. */
    List<Long> ancestors(String key) throws IOException {
        List<Long> chain = new ArrayList<>();
        String parent = infos.get(require(key)).parent();
        while (parent != null) {
            long id = require(parent);
            chain.add(id);
            parent = infos.get(id).parent();
        }
        return chain;
    }
}
