package dev.slipway.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Reads the append-only log files that a container's monitor writes under its state dir. The files outlive the
 * engine and the container's process; they go when the state dir is removed.
 *
 * Records are read in the order they were written, each exactly once per reader; a follower sees new records as
 * they are appended (and across size rotation) until the container has exited and everything was read, or until
 * it is closed.
 */
public interface ContainerLog {

    /** One line (or partial line, when a line exceeds the record limit) of output. */
    record Record(int stream, Instant timestamp, long sequence, byte[] bytes, boolean partial) {
        public static final int STDOUT = 1;
        public static final int STDERR = 2;
    }

    /** Sink for records; returning false stops the read. */
    interface Consumer {
        boolean accept(Record record) throws IOException;
    }

    /**
     * Delivers records of the container with state dir {@code stateDir} that match {@code filter}, starting
     * after sequence {@code afterSequence} (-1 for the beginning), or only the last {@code tail} records
     * (tail < 0 for all). With {@code follow} it blocks for new records until the container has exited and
     * the file is drained, or the consumer returns false, or the thread is interrupted.
     */
    void read(Path stateDir, long afterSequence, int tail, boolean follow, Predicate<Record> filter,
              Consumer consumer) throws IOException, InterruptedException;
}
