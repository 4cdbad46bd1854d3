package dev.slipway.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.testimages.ImageArchives;
import dev.slipway.engine.testimages.TestImages;
import dev.slipway.engine.testing.DockerCli;
import dev.slipway.engine.testing.EngineProcess;
import dev.slipway.engine.testing.TestBridge;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's bridge networking end to end: the packaged engine on its own test bridge, the real docker CLI, busybox
 * containers. Traffic stays on this machine: between the test's containers, to the host's loopback, and to a
 * server in a network namespace the test makes itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeNetworkIT {

    @TempDir
    static Path tmp;
    static Path socket;
    static Path data;
    static EngineProcess engine;
    static TestBridge bridge;
    static DockerCli docker;

    @BeforeAll
    static void startEngine() throws Exception {
        socket = tmp.resolve("engine.sock");
        data = tmp.resolve("data");
        engine = startEngine(data);
        bridge = engine.bridge();
        docker = new DockerCli(socket, tmp);
        Path archive = ImageArchives.writeDockerSave(tmp.resolve("busybox.tar"), TestImages.busybox(),
                "busybox:latest");
        docker.run("load", "-i", archive.toString()).ok();
    }

    /** The engine on this suite's own bridge: {@code slnt...} on a /24 of 10.220.0.0/17. */
    static EngineProcess startEngine(Path dataDir) throws Exception {
        return EngineProcess.start(socket, dataDir, TestBridge.inRange(dataDir, "slnt", 220),
                java.util.Map.of("SLIPWAY_ENGINE_NETWORK_POOL", "10.220.128.0/17"));
    }

    @AfterAll
    static void stopEngine() throws Exception {
        if (engine != null) {
            docker.run("rm", "-f", "web", "web2", "pub");
            engine.close();
            assertFalse(Files.exists(Path.of("/sys/class/net", bridge.name())), "test bridge left behind");
        }
    }

    @Test
    @Order(1)
    void aContainerGetsEth0AnAddressARouteAndItsFiles() throws Exception {
        String out = docker.run("run", "--rm", "--hostname", "box", "busybox", "sh", "-c",
                "ip -4 -o addr show eth0; ip route; cat /etc/hostname; grep box /etc/hosts; cat /etc/resolv.conf")
                .ok().stdout();
        String prefix = bridge.gateway().substring(0, bridge.gateway().lastIndexOf('.') + 1);
        assertTrue(out.contains("inet " + prefix), out);
        assertTrue(out.contains("default via " + bridge.gateway() + " dev eth0"), out);
        assertTrue(out.lines().anyMatch(l -> l.equals("box")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith(prefix) && l.endsWith("\tbox")), out);
    }

    @Test
    @Order(2)
    void containersOnTheBridgeReachEachOtherAndInspectShowsTheAddress() throws Exception {
        String ip = startWeb("web");
        assertTrue(ip.startsWith(bridge.gateway().substring(0, bridge.gateway().lastIndexOf('.'))), ip);
        assertEquals("page-from-web\n", fetchFromContainer("http://" + ip + ":8080/").ok().stdout());
    }

    @Test
    @Order(3)
    void egressIsMasqueradedToAServerInANamespaceTheTestMade() throws Exception {
        try (OutsideNamespace outside = OutsideNamespace.create(tmp)) {
            Path www = Files.createDirectories(tmp.resolve("outside-www/cgi-bin"));
            Path cgi = www.resolve("peer");
            Files.writeString(cgi, "#!/bin/sh\necho Content-Type: text/plain\necho\necho $REMOTE_ADDR\n");
            Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
            Process server = new ProcessBuilder("nsenter", "--net=" + outside.netns(), TestImages.BUSYBOX.toString(),
                    "httpd", "-f", "-p", "9090", "-h", www.getParent().toString())
                    .redirectErrorStream(true).start();
            try {
                DockerCli.Result r = fetchFromContainer("http://" + outside.serverAddress() + ":9090/cgi-bin/peer");
                // the server sees the host's address on its link, not the container's: NAT happened (busybox
                // httpd writes an IPv4 peer as an IPv4-mapped IPv6 address)
                assertEquals("[::ffff:" + outside.hostAddress() + "]\n", r.ok().stdout());
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
    }

    @Test
    @Order(4)
    void aContainerReachesNoServiceOfTheHostButPublishedPorts() throws Exception {
        int published = publishWeb("pub", "-p", freePort() + ":8080");
        try (ServerSocket loopback = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
             ServerSocket onBridge = new ServerSocket(0, 10, InetAddress.getByName(bridge.gateway()))) {
            String out = docker.run("run", "--rm", "busybox", "sh", "-c",
                    "nc -w 3 " + bridge.gateway() + " " + onBridge.getLocalPort() + " -e true; echo bridge=$?; "
                            + "nc -w 3 " + bridge.gateway() + " " + loopback.getLocalPort() + " -e true; "
                            + "echo viaGateway=$?; "
                            + "nc -w 3 127.0.0.1 " + loopback.getLocalPort() + " -e true; echo loopback=$?; "
                            + "for i in $(seq 20); do timeout 3 wget -qO- http://" + bridge.gateway() + ":"
                            + published + "/ && break; sleep 0.2; done")
                    .ok().stdout();
            // a published port on the host's address is reachable from a container (so the refusals are not a
            // dead network)...
            assertTrue(out.contains("page-from-web"), out);
            // ...but nothing else of the host: not a server on its bridge address, not its 127.0.0.1
            assertTrue(out.contains("bridge=1"), out);
            assertTrue(out.contains("viaGateway=1"), out);
            assertTrue(out.contains("loopback=1"), out);
            for (ServerSocket server : List.of(loopback, onBridge)) {
                server.setSoTimeout(200);
                try {
                    server.accept().close();
                    throw new AssertionError("a container connected to the host's " + server.getLocalSocketAddress());
                } catch (SocketTimeoutException expected) {
                    // nothing came in
                }
            }
        }
    }

    @Test
    @Order(5)
    void twoHundredContainersNeverShareAnAddressAndLeaveNothingBehind() throws Exception {
        String rulesBefore = nftTable();
        Set<String> everyId = Collections.synchronizedSet(new HashSet<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int batch = 0; batch < 10; batch++) {
                List<Future<String>> started = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    started.add(pool.submit(() -> docker.run("run", "-d", "busybox", "sleep", "600").ok().stdout()
                            .strip()));
                }
                List<String> ids = new ArrayList<>();
                for (Future<String> f : started) {
                    ids.add(f.get());
                }
                everyId.addAll(ids);
                List<String> inspectArgs = new ArrayList<>(List.of("inspect", "-f", "{{.NetworkSettings.IPAddress}}"));
                inspectArgs.addAll(ids);
                List<String> addresses = docker.run(inspectArgs.toArray(String[]::new)).ok().stdout().lines().toList();
                assertEquals(20, addresses.size());
                assertEquals(20, new HashSet<>(addresses).size(), "an address was given twice: " + addresses);
                assertFalse(addresses.contains(""), addresses.toString());
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(ids);
                docker.run(rm.toArray(String[]::new)).ok();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, everyId.size());
        for (String id : everyId) {
            assertFalse(Files.exists(Path.of("/sys/class/net", BridgeNetworking.vethName(id))), "veth of " + id);
            assertFalse(Files.exists(Path.of("/run/slipway/netns", id)), "netns of " + id);
        }
        try (var leases = Files.list(data.resolve("network/bridge"))) {
            List<String> held = leases.map(p -> p.getFileName().toString()).toList();
            assertTrue(held.size() <= 2, "leases left: " + held); // only web's and pub's
        }
        assertEquals(rulesBefore, nftTable());
    }

    @Test
    @Order(6)
    void aRestartedEngineKeepsRunningContainersNetworked() throws Exception {
        String ip = docker.run("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web").ok().stdout().strip();
        int published = publishedPort("pub");
        engine.kill9();
        engine = startEngine(data);
        assertEquals("page-from-web\n", HostHttp.get(published), "published port after an engine restart");
        assertEquals(ip, docker.run("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web").ok().stdout().strip());
        assertEquals("page-from-web\n", fetchFromContainer("http://" + ip + ":8080/").ok().stdout());
        String other = startWeb("web2");
        assertNotEquals(ip, other, "a restarted engine handed out an address in use");
        String webId = docker.run("inspect", "-f", "{{.Id}}", "web").ok().stdout().strip();
        docker.run("rm", "-f", "web").ok();
        assertFalse(Files.exists(Path.of("/sys/class/net", BridgeNetworking.vethName(webId))));
        assertFalse(Files.exists(Path.of("/run/slipway/netns", webId)));
    }

    @Test
    @Order(7)
    void aPublishedPortAnswersOnLoopbackAndTheHostsAddressAndIsFreeAfterStop() throws Exception {
        int port = freePort();
        publishWeb("pubstop", "-p", port + ":8080");
        assertEquals("page-from-web\n", HostHttp.get(port));
        assertEquals("page-from-web\n", HostHttp.get(HostHttp.hostAddress(), port));
        assertEquals("8080/tcp -> 0.0.0.0:" + port + "\n", docker.run("port", "pubstop").ok().stdout());
        assertEquals("0.0.0.0:" + port + "->8080/tcp\n", docker.run("ps", "--filter", "name=pubstop",
                "--format", "{{.Ports}}").ok().stdout());

        DockerCli.Result clash = docker.run("run", "-d", "--name", "clash", "-p", port + ":8080", "busybox", "sleep",
                "60");
        assertNotEquals(0, clash.exitCode());
        assertTrue(clash.stderr().contains("port is already allocated (by container"), clash.stderr());

        docker.run("stop", "-t", "1", "pubstop").ok();
        assertEquals("", docker.run("port", "pubstop").ok().stdout());
        try (ServerSocket free = new ServerSocket(port, 10, InetAddress.getByName("0.0.0.0"))) {
            // bound, and connections to it reach this socket: no rule diverts them any more
            try (var client = new java.net.Socket("127.0.0.1", port); var accepted = free.accept()) {
                assertEquals(client.getLocalPort(), accepted.getPort());
            }
            DockerCli.Result taken = docker.run("start", "pubstop");
            assertNotEquals(0, taken.exitCode());
            assertTrue(taken.stderr().contains("port is already allocated (by another program on the host)"),
                    taken.stderr());
        }
        docker.run("start", "pubstop").ok();
        assertEquals("page-from-web\n", HostHttp.get(port));
        docker.run("rm", "-f", "pubstop", "clash").ok();
        assertFalse(nftTable().contains("dport " + port + " "), nftTable());
    }

    @Test
    @Order(8)
    void randomPortsExposedPortsAndABoundAddress() throws Exception {
        int random = publishWeb("pubrandom", "-p", "8080", "--expose", "9000");
        assertEquals("page-from-web\n", HostHttp.get(random));
        String ps = docker.run("ps", "--filter", "name=pubrandom", "--format", "{{.Ports}}").ok().stdout();
        assertTrue(ps.contains("0.0.0.0:" + random + "->8080/tcp") && ps.contains("9000/tcp"), ps);
        int all = publishWeb("puball", "--expose", "8080", "-P");
        assertNotEquals(random, all);
        assertEquals("page-from-web\n", HostHttp.get(all));
        int local = freePort();
        publishWeb("publocal", "-p", "127.0.0.1:" + local + ":8080");
        assertEquals("page-from-web\n", HostHttp.get(local));
        assertEquals("8080/tcp -> 127.0.0.1:" + local + "\n", docker.run("port", "publocal").ok().stdout());
        HostHttp.assertRefused(HostHttp.hostAddress(), local);
        docker.run("rm", "-f", "pubrandom", "puball", "publocal").ok();

        DockerCli.Result bad = docker.run("run", "--rm", "-p", "70000:8080", "busybox", "true");
        assertNotEquals(0, bad.exitCode());
        DockerCli.Result none = docker.run("run", "--rm", "--network", "none", "-p", "8080", "busybox", "true");
        assertNotEquals(0, none.exitCode());
        assertTrue(none.stderr().contains("ports cannot be published with --network none"), none.stderr());
    }

    /** Starts the web server with publishing flags; returns the host port of its 8080 (docker port). */
    private static int publishWeb(String name, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(List.of(flags));
        args.addAll(List.of("busybox", "sh", "-c",
                "mkdir -p /www && echo page-from-web > /www/index.html && exec httpd -f -p 8080 -h /www"));
        docker.run(args.toArray(String[]::new)).ok();
        return publishedPort(name);
    }

    private static int publishedPort(String name) throws Exception {
        String out = docker.run("port", name, "8080/tcp").ok().stdout().strip();
        return Integer.parseInt(out.substring(out.lastIndexOf(':') + 1));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts busybox httpd serving "page-from-web" on 8080; returns the container's address. */
    private static String startWeb(String name) throws Exception {
        docker.run("run", "-d", "--name", name, "busybox", "sh", "-c",
                "mkdir -p /www && echo page-from-web > /www/index.html && exec httpd -f -p 8080 -h /www").ok();
        return docker.run("inspect", "-f", "{{.NetworkSettings.IPAddress}}", name).ok().stdout().strip();
    }

    /**
     * wget from a fresh container, retrying while the server comes up. (busybox 1.35's wget -T crashes, hence
     * timeout(1).)
     */
    private static DockerCli.Result fetchFromContainer(String url) throws Exception {
        return docker.run("run", "--rm", "busybox", "sh", "-c",
                "for i in $(seq 50); do timeout 3 wget -qO- " + url + " && exit 0; sleep 0.2; done; exit 1");
    }

    private static String nftTable() throws Exception {
        Process p = new ProcessBuilder("nft", "list", "table", "ip", bridge.table()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
