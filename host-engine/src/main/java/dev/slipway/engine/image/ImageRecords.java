package dev.slipway.engine.image;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All image records in one file, {@code images.json}, replaced atomically (temp file, fsync, rename) on every
 * change, so a crash leaves either the old or the new set of images. Readers get an immutable snapshot;
 * writers are serialised by the store.
 */
final class ImageRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private volatile Map<String, StoredImage> byId;

    ImageRecords(Path file) throws IOException {
        this.file = file;
        Map<String, StoredImage> loaded = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (StoredImage image : JSON.readValue(file.toFile(), new TypeReference<List<StoredImage>>() { })) {
                loaded.put(image.id(), image);
            }
        }
        byId = Map.copyOf(loaded);
    }

    List<StoredImage> all() {
        return new ArrayList<>(byId.values());
    }

    StoredImage get(String id) {
        return byId.get(id);
    }

    /** Replaces the whole set: puts {@code changed} (by id), drops ids in {@code removed}. */
    void write(List<StoredImage> changed, List<String> removed) throws IOException {
        Map<String, StoredImage> next = new LinkedHashMap<>(byId);
        removed.forEach(next::remove);
        changed.forEach(i -> next.put(i.id(), i));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), new ArrayList<>(next.values()));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        byId = Map.copyOf(next);
    }
}
