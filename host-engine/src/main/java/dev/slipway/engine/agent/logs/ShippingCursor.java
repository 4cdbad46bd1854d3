package dev.slipway.engine.agent.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What the API has acknowledged of one instance's log, kept in one small JSON file per instance and replaced by
 * rename, so a reader after {@code kill -9} (or a power cut) sees the old or the new version, never half of one.
 * A cursor on disk may lag behind the truth (the API then drops the resent duplicates), never run ahead of it.
 *
 * <p>{@code generation} counts the containers the instance has had on this worker: the wire sequence number is
 * {@code generation << 40 | record sequence}, so it keeps growing when the agent replaces the container (whose
 * log starts again at 0).
 */
record ShippingCursor(String instanceId, String containerId, int generation, long ackedWireSeq) {

    static final int RECORD_BITS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    long wireSeq(long recordSeq) {
        return ((long) generation << RECORD_BITS) | recordSeq;
    }

    /** The last acknowledged record sequence in the current container, -1 if none of it is acknowledged yet. */
    long ackedRecordSeq() {
        return ackedWireSeq >>> RECORD_BITS == generation ? ackedWireSeq & ((1L << RECORD_BITS) - 1) : -1;
    }

    ShippingCursor acked(long wireSeq) {
        return wireSeq > ackedWireSeq ? new ShippingCursor(instanceId, containerId, generation, wireSeq) : this;
    }

    /** The cursor for {@code containerId}: the same one, or the next generation when the container changed. */
    ShippingCursor forContainer(String container) {
        return container.equals(containerId) ? this
                : new ShippingCursor(instanceId, container, generation + 1, ackedWireSeq);
    }

    static ShippingCursor load(Path file, String instanceId, String containerId) {
        try {
            ShippingCursor c = JSON.readValue(Files.readAllBytes(file), ShippingCursor.class);
            if (instanceId.equals(c.instanceId()) && c.containerId() != null) {
                return c;
            }
        } catch (NoSuchFileException e) {
            // first time this instance is tracked here
        } catch (IOException | RuntimeException e) {
            // unreadable (a crash while it was first written): resend everything, the API drops duplicates
        }
        return new ShippingCursor(instanceId, containerId, 0, -1);
    }

    void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
