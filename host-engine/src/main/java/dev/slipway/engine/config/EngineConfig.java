package dev.slipway.engine.config;

import java.nio.file.Path;

/**
 * How the engine was asked to run: {@code --socket <path>} (default /run/slipway/engine.sock) and
 * {@code --data-dir <dir>} (default /var/lib/slipway/engine); environment variables SLIPWAY_ENGINE_SOCKET and
 * SLIPWAY_ENGINE_DATA_DIR give the defaults when set.
 */
public record EngineConfig(Path socket, Path dataDir) {

    public static final String DEFAULT_SOCKET = "/run/slipway/engine.sock";
    public static final String DEFAULT_DATA_DIR = "/var/lib/slipway/engine";

    public static EngineConfig parse(String[] args, java.util.Map<String, String> env) {
        String socket = env.getOrDefault("SLIPWAY_ENGINE_SOCKET", DEFAULT_SOCKET);
        String dataDir = env.getOrDefault("SLIPWAY_ENGINE_DATA_DIR", DEFAULT_DATA_DIR);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value;
            String name;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg;
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + arg);
                }
                value = args[++i];
            }
            switch (name) {
                case "--socket" -> socket = value;
                case "--data-dir" -> dataDir = value;
                default -> throw new IllegalArgumentException("unknown option " + name
                        + " (usage: --socket <path> --data-dir <dir>)");
            }
        }
        return new EngineConfig(Path.of(socket).toAbsolutePath(), Path.of(dataDir).toAbsolutePath());
    }
}
