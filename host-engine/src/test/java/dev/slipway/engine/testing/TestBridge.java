package dev.slipway.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bridge a test engine uses instead of the host's {@code slipway0}: named and numbered from the engine's data
 * dir, so an engine restarted on the same data dir gets the same bridge (and its leases stay valid), and engines
 * of tests running side by side do not share one. {@link #remove} deletes the bridge and the engine's nftables
 * table once the engine is gone.
 */
public record TestBridge(String name, String subnet, String gateway) {

    public static TestBridge forDataDir(Path dataDir) {
        int h = dataDir.toAbsolutePath().toString().hashCode() & 0x7fffffff;
        int second = 100 + h % 150;
        int third = (h >>> 8) % 256;
        return new TestBridge(String.format("swt%08x", h), "10." + second + "." + third + ".0/24",
                "10." + second + "." + third + ".1");
    }

    /**
     * A bridge named {@code <prefix><8 hex digits>} on a /24 of {@code 10.<second>.0.0/17}, numbered from the
     * data dir: for test suites that must keep their bridges and subnets inside a range of their own.
     */
    public static TestBridge inRange(Path dataDir, String prefix, int second) {
        int h = dataDir.toAbsolutePath().toString().hashCode() & 0x7fffffff;
        int third = h % 128;
        return new TestBridge(prefix + String.format("%08x", h).substring(0, 15 - prefix.length() - 6),
                "10." + second + "." + third + ".0/24", "10." + second + "." + third + ".1");
    }

    public String table() {
        return "slipway_" + name;
    }

    public List<String> engineArgs() {
        return List.of("--bridge", name, "--bridge-subnet", subnet);
    }

    /** User-defined networks' bridges of this engine: {@code <first 9 characters>n<number>}. */
    public List<String> networkBridges() throws IOException {
        String prefix = name.substring(0, Math.min(9, name.length())) + "n";
        try (var links = Files.list(Path.of("/sys/class/net"))) {
            return links.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)
                    && n.substring(prefix.length()).matches("[0-9]+")).toList();
        }
    }

    public void remove() throws IOException, InterruptedException {
        if (Files.exists(Path.of("/sys/class/net", name))) {
            new ProcessBuilder("ip", "link", "del", name).inheritIO().start().waitFor();
        }
        for (String user : networkBridges()) {
            new ProcessBuilder("ip", "link", "del", user).inheritIO().start().waitFor();
        }
        new ProcessBuilder("nft", "delete", "table", "ip", table()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
