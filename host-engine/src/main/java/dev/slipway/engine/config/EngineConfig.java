package dev.slipway.engine.config;

import dev.slipway.engine.network.BridgeConfig;
import dev.slipway.engine.network.Ipv4Subnet;
import java.nio.file.Path;

/**
 * How the engine was asked to run: {@code --socket <path>} (default /run/slipway/engine.sock),
 * {@code --data-dir <dir>} (default /var/lib/slipway/engine), {@code --bridge <name>} (default slipway0) and
 * {@code --bridge-subnet <cidr>} (default 10.209.0.0/16); environment variables SLIPWAY_ENGINE_SOCKET,
 * SLIPWAY_ENGINE_DATA_DIR, SLIPWAY_ENGINE_BRIDGE and SLIPWAY_ENGINE_BRIDGE_SUBNET give the defaults when set.
 *
 * <p>With {@code --api <url>} the engine also runs the worker agent ({@link AgentOptions}): {@code --join-token}
 * (needed only until the worker holds a credential), {@code --name} (default: the host name) and
 * {@code --advertise} (an IPv4 address of this host that the platform's router reaches: instances' app ports
 * are published on it and reported as {@code <address>:<host port>}; default: none, the router uses the
 * containers' bridge addresses, reachable only from this host). SLIPWAY_JOIN_TOKEN gives the join token's default (kept out of {@code ps}).
 */
public record EngineConfig(Path socket, Path dataDir, String bridge, Ipv4Subnet bridgeSubnet, AgentOptions agent) {

    /** How the worker agent joins the platform; {@code joinToken}, {@code name}, {@code advertise} may be null. */
    public record AgentOptions(java.net.URI api, String joinToken, String name, String advertise) {
    }

    public EngineConfig(Path socket, Path dataDir, String bridge, Ipv4Subnet bridgeSubnet) {
        this(socket, dataDir, bridge, bridgeSubnet, null);
    }

    public static final String DEFAULT_SOCKET = "/run/slipway/engine.sock";
    public static final String DEFAULT_DATA_DIR = "/var/lib/slipway/engine";

    public static EngineConfig parse(String[] args, java.util.Map<String, String> env) {
        String socket = env.getOrDefault("SLIPWAY_ENGINE_SOCKET", DEFAULT_SOCKET);
        String dataDir = env.getOrDefault("SLIPWAY_ENGINE_DATA_DIR", DEFAULT_DATA_DIR);
        String bridge = env.getOrDefault("SLIPWAY_ENGINE_BRIDGE", BridgeConfig.DEFAULT_BRIDGE);
        String subnet = env.getOrDefault("SLIPWAY_ENGINE_BRIDGE_SUBNET", BridgeConfig.DEFAULT_SUBNET);
        String api = null;
        // from the environment too, so a launcher need not show the token in the process list
        String joinToken = env.get("SLIPWAY_JOIN_TOKEN");
        String workerName = null;
        String advertise = null;
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
                case "--api" -> api = value;
                case "--join-token" -> joinToken = value;
                case "--name" -> workerName = value;
                case "--advertise" -> advertise = value;
                default -> throw new IllegalArgumentException("unknown option " + name
                        + " (usage: --socket <path> --data-dir <dir> --bridge <name> --bridge-subnet <cidr>"
                        + " [--api <url> --join-token <token> --name <name> --advertise <address>])");
            }
        }
        return new EngineConfig(Path.of(socket).toAbsolutePath(), Path.of(dataDir).toAbsolutePath(), bridge,
                Ipv4Subnet.parse(subnet), agentOptions(api, joinToken, workerName, advertise));
    }

    private static AgentOptions agentOptions(String api, String joinToken, String name, String advertise) {
        if (api == null) {
            if (name != null || advertise != null) {
                throw new IllegalArgumentException("--name and --advertise need --api <url>");
            }
            return null;
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--api: not a URL: " + api);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("--api: expected http(s)://host[:port], got " + api);
        }
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("--name: 1-63 letters, digits, '.', '_' or '-', got " + name);
        }
        if (advertise != null && !advertisable(advertise)) {
            throw new IllegalArgumentException("--advertise: expected this host's IPv4 address that the platform's"
                    + " router can reach (e.g. 10.0.0.5, or 127.0.0.1 for a router on this host), got " + advertise);
        }
        return new AgentOptions(uri, joinToken == null || joinToken.isBlank() ? null : joinToken.strip(), name,
                advertise);
    }

    /** A concrete IPv4 address: instances' ports are bound to it and it is the address the router dials. */
    private static boolean advertisable(String address) {
        try {
            return Ipv4Subnet.parseAddress(address) != 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
