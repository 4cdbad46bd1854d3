package dev.slipway.engine.config;

import dev.slipway.engine.network.BridgeConfig;
import dev.slipway.engine.network.Ipv4Subnet;
import java.nio.file.Path;

/**
 * How the engine was asked to run: {@code --socket <path>} (default /run/slipway/engine.sock),
 * {@code --data-dir <dir>} (default /var/lib/slipway/engine), {@code --bridge <name>} (default slipway0) and
 * {@code --bridge-subnet <cidr>} (default 10.209.0.0/16); environment variables SLIPWAY_ENGINE_SOCKET,
 * SLIPWAY_ENGINE_DATA_DIR, SLIPWAY_ENGINE_BRIDGE and SLIPWAY_ENGINE_BRIDGE_SUBNET give the defaults when set.
 */
public record EngineConfig(Path socket, Path dataDir, String bridge, Ipv4Subnet bridgeSubnet) {

    public static final String DEFAULT_SOCKET = "/run/slipway/engine.sock";
    public static final String DEFAULT_DATA_DIR = "/var/lib/slipway/engine";

    public static EngineConfig parse(String[] args, java.util.Map<String, String> env) {
        String socket = env.getOrDefault("SLIPWAY_ENGINE_SOCKET", DEFAULT_SOCKET);
        String dataDir = env.getOrDefault("SLIPWAY_ENGINE_DATA_DIR", DEFAULT_DATA_DIR);
        String bridge = env.getOrDefault("SLIPWAY_ENGINE_BRIDGE", BridgeConfig.DEFAULT_BRIDGE);
        String subnet = env.getOrDefault("SLIPWAY_ENGINE_BRIDGE_SUBNET", BridgeConfig.DEFAULT_SUBNET);
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
                case "--bridge" -> bridge = value;
                case "--bridge-subnet" -> subnet = value;
                default -> throw new IllegalArgumentException("unknown option " + name
                        + " (usage: --socket <path> --data-dir <dir> --bridge <name> --bridge-subnet <cidr>)");
            }
        }
        return new EngineConfig(Path.of(socket).toAbsolutePath(), Path.of(dataDir).toAbsolutePath(), bridge,
                Ipv4Subnet.parse(subnet));
    }
}
