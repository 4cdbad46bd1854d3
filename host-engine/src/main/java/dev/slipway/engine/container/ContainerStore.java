package dev.slipway.engine.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.archive.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Container records on disk: {@code <root>/<id>/container.json}, one directory per container that also holds its
 * rootfs mount point and runtime state. Each write goes to a temporary file that is renamed over the old one, so
 * a reader (or an engine killed mid-write) sees the old record or the new one, never a torn one.
 *
 * The store does no locking of its own: the caller ({@link ContainerService}) serializes writes per container.
 */
public final class ContainerStore {

    private static final Logger LOG = Logger.getLogger(ContainerStore.class.getName());
    private static final String RECORD = "container.json";

    private final Path root;
    private final ObjectMapper json;

    public ContainerStore(Path root, ObjectMapper json) throws IOException {
        this.root = root;
        this.json = json;
        Files.createDirectories(root);
    }

    /** The container's own directory (created by {@link #create}). */
    public Path dir(String id) {
        return root.resolve(id);
    }

    /** Writes a new container's record; fails if the directory exists. */
    public void create(ContainerRecord record) throws IOException {
        Files.createDirectory(dir(record.id()));
        save(record);
    }

    public void save(ContainerRecord record) throws IOException {
        Path target = dir(record.id()).resolve(RECORD);
        Path temp = dir(record.id()).resolve(RECORD + ".tmp");
        Files.write(temp, json.writeValueAsBytes(record));
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data dir's filesystem cannot rename atomically: " + root, e);
        }
    }

    /** Every readable record; a directory without one (a create interrupted by a crash) is skipped and reported. */
    public List<ContainerRecord> loadAll() throws IOException {
        List<ContainerRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                try {
                    records.add(json.readValue(dir.resolve(RECORD).toFile(), ContainerRecord.class));
                } catch (NoSuchFileException | java.io.FileNotFoundException e) {
                    LOG.warning("container dir without a record (interrupted create?): " + dir);
                }
            }
        }
        return records;
    }

    /** Deletes the container's directory and all it holds; the caller has unmounted its rootfs first. */
    public void delete(String id) throws IOException {
        FileTrees.delete(dir(id));
    }
}
