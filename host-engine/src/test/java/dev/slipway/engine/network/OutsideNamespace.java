package dev.slipway.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace made by a test to stand for "the outside": linked to the host by a veth pair on a /30 of
 * 198.18.0.0/15 (the benchmarking range, never routed), host end {@code hostAddress}, namespace end
 * {@code serverAddress}. Close removes the pair and the namespace.
 */
record OutsideNamespace(Path netns, String veth, String hostAddress, String serverAddress) implements AutoCloseable {

    static OutsideNamespace create(Path scratch) throws IOException, InterruptedException {
        int n = ThreadLocalRandom.current().nextInt(1 << 14);
        String base = "198." + (18 + (n >> 13)) + "." + (n >> 5 & 255) + ".";
        int last = (n & 31) * 4 + 0; // the /30's network address; .+1 host, .+2 server
        String host = base + (last + 1);
        String server = base + (last + 2);
        String veth = String.format("swo%04x", n);
        Path netns = scratch.resolve("outside-netns");
        Files.createFile(netns);
        run("unshare", "--net=" + netns, "true");
        run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns.toString());
        run("ip", "addr", "add", host + "/30", "dev", veth);
        run("ip", "link", "set", veth, "up");
        run("nsenter", "--net=" + netns, "sh", "-c",
                "ip link set lo up && ip addr add " + server + "/30 dev eth0 && ip link set eth0 up");
        return new OutsideNamespace(netns, veth, host, server);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("ip", "link", "del", veth);
        run("umount", netns.toString());
        Files.delete(netns);
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + ": " + out);
        }
    }
}
