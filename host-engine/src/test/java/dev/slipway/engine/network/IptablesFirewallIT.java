package dev.slipway.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.testimages.ImageArchives;
import dev.slipway.engine.testimages.TestImages;
import dev.slipway.engine.testing.DockerCli;
import dev.slipway.engine.testing.EngineProcess;
import dev.slipway.engine.testing.TestBridge;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The iptables fallback, forced with {@code SLIPWAY_ENGINE_FIREWALL=iptables} (this host has nft too): the same
 * published ports, isolation between networks and from the host, in the engine's own iptables chains, which go
 * away without a trace.
 */
class IptablesFirewallIT {

    @TempDir
    static Path tmp;
    static EngineProcess engine;
    static DockerCli docker;
    static TestBridge bridge;

    @BeforeAll
    static void startEngine() throws Exception {
        Path data = tmp.resolve("data");
        bridge = TestBridge.inRange(data, "slnt", 220);
        engine = EngineProcess.start(tmp.resolve("engine.sock"), data, bridge, Map.of(
                "SLIPWAY_ENGINE_FIREWALL", "iptables", "SLIPWAY_ENGINE_NETWORK_POOL", "10.220.128.0/17"));
        docker = new DockerCli(tmp.resolve("engine.sock"), tmp);
        docker.run("load", "-i", ImageArchives.writeDockerSave(tmp.resolve("busybox.tar"), TestImages.busybox(),
                "busybox:latest").toString()).ok();
    }

    @AfterAll
    static void stopEngine() throws Exception {
        if (engine != null) {
            docker.run("rm", "-f", "web", "pub");
            docker.run("network", "rm", "ia", "ib");
            engine.close();
            new IptablesFirewall(bridge.name()).remove();
            String all = iptablesSave();
            assertFalse(all.contains("SLW-" + bridge.name()), all);
        }
    }

    @Test
    void publishedPortsAndIsolationWorkWithIptables() throws Exception {
        assertTrue(engine.recentOutput().contains("firewall: iptables (as configured)"), engine.recentOutput());
        assertTrue(nftTableMissing(), "the engine made an nftables table although iptables was asked for");

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        web("pub", "-p", port + ":8080");
        assertEquals("page-from-web\n", HostHttp.get(port));
        assertTrue(iptablesSave().contains("--dport " + port + " "), iptablesSave());

        docker.run("network", "create", "ia").ok();
        docker.run("network", "create", "ib").ok();
        web("web", "--network", "ia");
        String ip = docker.run("inspect", "-f", "{{(index .NetworkSettings.Networks \"ia\").IPAddress}}", "web").ok()
                .stdout().strip();
        assertEquals("page-from-web\n", docker.run("run", "--rm", "--network", "ia", "busybox", "sh", "-c",
                "for i in $(seq 50); do timeout 3 wget -qO- http://web:8080/ && exit 0; sleep 0.2; done; exit 1")
                .ok().stdout());
        try (ServerSocket onBridge = new ServerSocket(0, 10, InetAddress.getByName(bridge.gateway()))) {
            String out = docker.run("run", "--rm", "--network", "ib", "busybox", "sh", "-c",
                    "nc -w 3 " + ip + " 8080 -e true; echo other=$?; nc -w 3 " + bridge.gateway() + " "
                            + onBridge.getLocalPort() + " -e true; echo host=$?").ok().stdout();
            assertTrue(out.contains("other=1") && out.contains("host=1"), out);
            onBridge.setSoTimeout(200);
            try {
                onBridge.accept().close();
                throw new AssertionError("a container connected to the host");
            } catch (SocketTimeoutException expected) {
                // nothing came in
            }
        }

        docker.run("stop", "-t", "1", "pub").ok();
        assertFalse(iptablesSave().contains("--dport " + port + " "), iptablesSave());
    }

    private static void web(String name, String... flags) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(List.of(flags));
        args.addAll(List.of("busybox", "sh", "-c",
                "mkdir -p /www && echo page-from-web > /www/index.html && exec httpd -f -p 8080 -h /www"));
        docker.run(args.toArray(String[]::new)).ok();
    }

    private static String iptablesSave() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("filter", "nat")) {
            Process p = new ProcessBuilder("iptables-save", "-t", table).redirectErrorStream(true).start();
            all.append(new String(p.getInputStream().readAllBytes()));
            assertEquals(0, p.waitFor(), all.toString());
        }
        return all.toString();
    }

    private static boolean nftTableMissing() throws Exception {
        Process p = new ProcessBuilder("nft", "list", "table", "ip", bridge.table()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() != 0;
    }
}
