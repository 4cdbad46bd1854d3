package dev.slipway.engine.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file the engine hands the C launcher: one {@code key=value} per line, keys repeated for lists, values
 * escaped so that a newline in an environment value cannot start a new key (backslash becomes {@code \\},
 * newline {@code \n}). NUL cannot be passed to exec and is refused. The file stays in the state dir, so an
 * engine adopting the container reads its id and settings back from it.
 */
public final class LaunchSpecFile {
    static final String NAME = "spec";
    private final StringBuilder text = new StringBuilder();

    public LaunchSpecFile put(String key, Object value) {
        String v = String.valueOf(value);
        if (v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(key + " must not contain NUL: " + v.replace('\0', '?'));
        }
        text.append(key).append('=').append(v.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        return this;
    }

    public LaunchSpecFile putAll(String key, List<?> values) {
        values.forEach(v -> put(key, v));
        return this;
    }

    /** Writes the spec to {@code stateDir/spec} atomically and returns its path. */
    public Path write(Path stateDir) throws IOException {
        Path file = stateDir.resolve(NAME);
        Path tmp = stateDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Reads a spec back: key to values in file order. */
    public static Map<String, List<String>> read(Path stateDir) throws IOException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(stateDir.resolve(NAME), StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(unescape(line.substring(eq + 1)));
            }
        }
        return values;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
