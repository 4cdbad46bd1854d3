package dev.slipway.engine.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The last spec the API gave each instance, one file per instance under {@code <data-dir>/agent/instances/}
 * (without its pull token). A restarted engine reads it back, so it keeps restarting crashed instances and
 * checking their health before the API has spoken again.
 */
final class SpecStore {

    private static final Logger LOG = Logger.getLogger(SpecStore.class.getName());

    private final Path dir;
    private final ObjectMapper json;

    SpecStore(Path dir, ObjectMapper json) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.json = json;
    }

    void save(Wire.InstanceSpec spec) throws IOException {
        Path target = file(spec.instanceId());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), spec.withoutPullAuth());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    Optional<Wire.InstanceSpec> load(String instanceId) {
        Path file = file(instanceId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), Wire.InstanceSpec.class));
        } catch (IOException e) {
            LOG.warning("ignoring unreadable spec " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    void delete(String instanceId) throws IOException {
        Files.deleteIfExists(file(instanceId));
    }

    private Path file(String instanceId) {
        if (!instanceId.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IllegalArgumentException("unusable instance id: " + instanceId);
        }
        return dir.resolve(instanceId + ".json");
    }
}
