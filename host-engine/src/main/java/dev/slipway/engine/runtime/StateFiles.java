package dev.slipway.engine.runtime;

import dev.slipway.engine.runtime.RunningContainer.ExitStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The records the monitor writes atomically into the state dir: {@code state} (pid, monitor_pid, started_ns;
 * written once the process has exec'd) and {@code exit} (exit_code, signal, oom_killed, finished_ns; written
 * after the log is flushed). Both are {@code key=value} lines.
 */
final class StateFiles {
    static final String STATE = "state";
    static final String EXIT = "exit";

    private StateFiles() {
    }

    static Optional<Map<String, Long>> read(Path file) throws IOException {
        try {
            Map<String, Long> values = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
                }
            }
            return Optional.of(values);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static Optional<ExitStatus> exit(Path stateDir) throws IOException {
        return read(stateDir.resolve(EXIT)).map(v -> new ExitStatus(v.get("exit_code").intValue(),
                v.get("signal").intValue(), v.get("oom_killed") != 0, instant(v.get("finished_ns"))));
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
