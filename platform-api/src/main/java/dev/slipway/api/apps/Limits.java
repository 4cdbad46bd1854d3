package dev.slipway.api.apps;

import dev.slipway.api.error.ApiException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The bounds of everything a deployment may ask for (issue 6, part 8); each failure names its field. */
final class Limits {

    static final BigDecimal MIN_CPU = new BigDecimal("0.05");
    static final BigDecimal MAX_CPU = new BigDecimal("16");
    static final int MAX_REPLICAS = 100;
    static final int MAX_ENV_ENTRIES = 200;
    static final int MAX_VALUE_CHARS = 32 * 1024;
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_KEY_CHARS = 256;

    private Limits() {
    }

    static BigDecimal cpu(BigDecimal cpu) {
        if (cpu.compareTo(MIN_CPU) < 0 || cpu.compareTo(MAX_CPU) > 0 || cpu.scale() > 3) {
            throw ApiException.invalidField("resources.cpu", "must be between 0.05 and 16 (at most 3 decimals);"
                    + " got " + cpu.toPlainString());
        }
        return cpu;
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw ApiException.invalidField(field, "must be between " + min + " and " + max + "; got " + value);
        }
        return value;
    }

    static int replicas(String field, Integer replicas) {
        if (replicas == null) {
            throw ApiException.invalidField(field, "is required");
        }
        return range(field, replicas, 0, MAX_REPLICAS);
    }

    /** Environment variables: POSIX-style names, non-null values, bounded in number and size. */
    static Map<String, String> env(String field, Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        if (env.size() > MAX_ENV_ENTRIES) {
            throw ApiException.invalidField(field, "at most " + MAX_ENV_ENTRIES + " variables");
        }
        env.forEach((key, value) -> {
            if (key.length() > MAX_KEY_CHARS || !ENV_KEY.matcher(key).matches()) {
                throw ApiException.invalidField(field, "'" + key + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
            }
            if (value == null) {
                throw ApiException.invalidField(field + "." + key, "must be a string, not null");
            }
            if (value.length() > MAX_VALUE_CHARS || value.indexOf('\0') >= 0) {
                throw ApiException.invalidField(field + "." + key, "at most " + MAX_VALUE_CHARS
                        + " characters and no NUL");
            }
        });
        return env;
    }

    static List<String> command(List<String> command) {
        if (command == null) {
            return null;
        }
        if (command.isEmpty() || command.size() > 256) {
            throw ApiException.invalidField("command", "must hold 1-256 arguments (omit it to use the image's)");
        }
        for (String argument : command) {
            if (argument == null || argument.length() > MAX_VALUE_CHARS || argument.indexOf('\0') >= 0) {
                throw ApiException.invalidField("command", "arguments must be strings without NUL, at most "
                        + MAX_VALUE_CHARS + " characters");
            }
        }
        return command;
    }
}
