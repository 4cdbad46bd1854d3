package dev.slipway.api.logs;

import java.time.Instant;
import java.util.UUID;

/**
 * One stored log line (or piece of a line longer than 16 KiB, with {@code partial}) of an app. {@code pos} is the
 * line's place in the app's feed: unique per app, increasing in commit order, so it is the resume cursor.
 */
public record LogLine(long pos, UUID instanceId, long seq, int stream, long timeNanos, boolean partial, String line) {

    public static final int STDOUT = 1;
    public static final int STDERR = 2;

    public Instant time() {
        return Instant.ofEpochSecond(Math.floorDiv(timeNanos, 1_000_000_000L), Math.floorMod(timeNanos, 1_000_000_000L));
    }

    public String streamName() {
        return streamName(stream);
    }

    static String streamName(int stream) {
        return stream == STDERR ? "stderr" : "stdout";
    }

    /** 1 for stdout, 2 for stderr, 0 for anything else. */
    static int streamCode(String name) {
        return switch (name == null ? "" : name) {
            case "stdout" -> STDOUT;
            case "stderr" -> STDERR;
            default -> 0;
        };
    }

    static long nanos(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
    }
}
