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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's user-defined networks, the engine's resolver and tenant isolation, end to end: the packaged engine
 * on its own bridge ({@code slnt...}, 10.220.0.0/17) with user networks from 10.220.128.0/17, the real docker CLI,
 * busybox containers, and an upstream resolver of the test's own on the host's loopback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserNetworksIT {

    @TempDir
    static Path tmp;
    static Path socket;
    static Path data;
    static EngineProcess engine;
    static DockerCli docker;
    static FakeUpstreamResolver upstream;

    @BeforeAll
    static void startEngine() throws Exception {
        socket = tmp.resolve("engine.sock");
        data = tmp.resolve("data");
        upstream = FakeUpstreamResolver.start(tmp);
        engine = startEngine(data);
        docker = new DockerCli(socket, tmp);
        Path archive = ImageArchives.writeDockerSave(tmp.resolve("busybox.tar"), TestImages.busybox(),
                "busybox:latest");
        docker.run("load", "-i", archive.toString()).ok();
    }

    static EngineProcess startEngine(Path dataDir) throws Exception {
        return EngineProcess.start(socket, dataDir, TestBridge.inRange(dataDir, "slnt", 220), Map.of(
                "SLIPWAY_ENGINE_NETWORK_POOL", "10.220.128.0/17",
                "SLIPWAY_ENGINE_RESOLV_CONF", upstream.resolvConf().toString()));
    }

    @AfterAll
    static void stopEngine() throws Exception {
        if (engine != null) {
            docker.run("rm", "-f", "web", "web2", "client", "t1", "t2", "t3");
            docker.run("network", "rm", "a", "b", "tenant-acme", "tenant-globex");
            List<String> left = engine.bridge().networkBridges();
            engine.close();
            assertEquals(List.of(), left, "user network bridges left behind");
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    @Order(1)
    void networksAreCreatedListedAndInspected() throws Exception {
        docker.run("network", "create", "a").ok();
        docker.run("network", "create", "--subnet", "10.220.250.0/24", "--label", "team=blue", "b").ok();
        String ls = docker.run("network", "ls", "--format", "{{.Name}} {{.Driver}}").ok().stdout();
        assertTrue(ls.contains("a bridge") && ls.contains("b bridge") && ls.contains("bridge bridge"), ls);
        assertEquals("10.220.250.0/24 blue\n", docker.run("network", "inspect", "-f",
                "{{(index .IPAM.Config 0).Subnet}} {{index .Labels \"team\"}}", "b").ok().stdout());
        String subnetA = docker.run("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "a").ok()
                .stdout().strip();
        assertTrue(subnetA.startsWith("10.220.") && subnetA.endsWith(".0/24"), subnetA);

        DockerCli.Result duplicate = docker.run("network", "create", "a");
        assertNotEquals(0, duplicate.exitCode());
        assertTrue(duplicate.stderr().contains("network with name a already exists"), duplicate.stderr());
        DockerCli.Result overlap = docker.run("network", "create", "--subnet", "10.220.250.128/25", "c");
        assertNotEquals(0, overlap.exitCode());
        assertTrue(overlap.stderr().contains("overlaps network b"), overlap.stderr());
        DockerCli.Result unknown = docker.run("run", "--rm", "--network", "nosuch", "busybox", "true");
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.stderr().contains("network nosuch not found"), unknown.stderr());
    }

    @Test
    @Order(2)
    void containersOnOneNetworkReachEachOtherByNameAndAlias() throws Exception {
        startWeb("web", "a", "--network-alias", "www");
        assertEquals("page-from-web\n", fetch("a", "http://web:8080/").ok().stdout());
        assertEquals("page-from-web\n", fetch("a", "http://www:8080/").ok().stdout());
        String gateway = docker.run("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", "a").ok()
                .stdout().strip();
        String resolv = docker.run("run", "--rm", "--network", "a", "busybox", "cat", "/etc/resolv.conf").ok()
                .stdout();
        assertTrue(resolv.contains("nameserver " + gateway), resolv);
        String members = docker.run("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{end}}", "a").ok()
                .stdout();
        assertTrue(members.contains("web"), members);
    }

    @Test
    @Order(3)
    void otherNamesAreRelayedToTheHostsResolvers() throws Exception {
        int before = upstream.queries.get();
        String out = docker.run("run", "--rm", "--network", "a", "busybox", "nslookup",
                FakeUpstreamResolver.NAME).ok().stdout();
        assertTrue(out.contains(FakeUpstreamResolver.ADDRESS), out);
        assertTrue(upstream.queries.get() > before, "the upstream resolver saw no query");
    }

    @Test
    @Order(4)
    void aContainerOnAnotherNetworkCannotReachThem() throws Exception {
        String ip = address("web", "a");
        String out = docker.run("run", "--rm", "--network", "b", "busybox", "sh", "-c",
                "nslookup web >/dev/null 2>&1; echo name=$?; nc -w 3 " + ip + " 8080 -e true; echo ip=$?").ok()
                .stdout();
        assertTrue(out.contains("name=1"), out);
        assertTrue(out.contains("ip=1"), out);
    }

    @Test
    @Order(5)
    void connectAndDisconnectARunningContainer() throws Exception {
        docker.run("run", "-d", "--name", "client", "--network", "b", "busybox", "sleep", "600").ok();
        docker.run("network", "connect", "--alias", "cli", "a", "client").ok();
        assertEquals("page-from-web\n", docker.run("exec", "client", "wget", "-qO-", "http://web:8080/").ok()
                .stdout());
        String nets = docker.run("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
                "client").ok().stdout();
        assertTrue(nets.contains("a") && nets.contains("b"), nets);
        DockerCli.Result busy = docker.run("network", "rm", "a");
        assertNotEquals(0, busy.exitCode());
        assertTrue(busy.stderr().contains("has active endpoints"), busy.stderr());

        docker.run("network", "disconnect", "a", "client").ok();
        DockerCli.Result after = docker.run("exec", "client", "sh", "-c",
                "timeout 3 wget -qO- http://" + address("web", "a") + ":8080/");
        assertNotEquals(0, after.exitCode(), after.stdout());
        DockerCli.Result primary = docker.run("network", "disconnect", "b", "client");
        assertNotEquals(0, primary.exitCode());
        assertTrue(primary.stderr().contains("cannot leave it"), primary.stderr());
    }

    @Test
    @Order(6)
    void eachTenantGetsItsOwnNetworkAndNoOtherContainerJoinsIt() throws Exception {
        startWeb("t1", null, "--label", "slipway.tenant=acme");
        assertEquals("tenant-acme\n", docker.run("inspect", "-f", "{{.HostConfig.NetworkMode}}", "t1").ok().stdout());
        assertEquals("acme\n", docker.run("network", "inspect", "-f", "{{index .Labels \"slipway.tenant\"}}",
                "tenant-acme").ok().stdout());
        // the same tenant reaches it by name...
        assertEquals("page-from-web\n", docker.run("run", "--rm", "--label", "slipway.tenant=acme", "busybox", "sh",
                "-c", "for i in $(seq 50); do timeout 3 wget -qO- http://t1:8080/ && exit 0; sleep 0.2; done; exit 1")
                .ok().stdout());
        // ...another tenant reaches it neither by name nor by address, on any port
        String ip = address("t1", "tenant-acme");
        String out = docker.run("run", "--rm", "--label", "slipway.tenant=globex", "busybox", "sh", "-c",
                "nslookup t1 >/dev/null 2>&1; echo name=$?; nc -w 3 " + ip + " 8080 -e true; echo ip=$?; "
                        + "ping -c 1 -W 2 " + ip + " >/dev/null 2>&1; echo ping=$?").ok().stdout();
        assertTrue(out.contains("name=1") && out.contains("ip=1") && out.contains("ping=1"), out);
        // ...and neither can a container without the label, or one asking for another network
        for (List<String> args : List.of(
                List.of("--network", "tenant-acme"),
                List.of("--label", "slipway.tenant=acme", "--network", "a"),
                List.of("--label", "slipway.tenant=acme", "--network", "host"))) {
            List<String> run = new java.util.ArrayList<>(List.of("run", "--rm"));
            run.addAll(args);
            run.addAll(List.of("busybox", "true"));
            DockerCli.Result refused = docker.run(run.toArray(String[]::new));
            assertNotEquals(0, refused.exitCode(), args.toString());
            assertTrue(refused.stderr().contains("tenant"), refused.stderr());
        }
        DockerCli.Result join = docker.run("network", "connect", "tenant-acme", "client");
        assertNotEquals(0, join.exitCode());
        assertTrue(join.stderr().contains("belongs to tenant acme"), join.stderr());
    }

    @Test
    @Order(7)
    void aRestartedEngineKeepsNetworksAndNames() throws Exception {
        engine.kill9();
        engine = startEngine(data);
        assertEquals("page-from-web\n", fetch("a", "http://web:8080/").ok().stdout());
        String ls = docker.run("network", "ls", "--format", "{{.Name}}").ok().stdout();
        assertTrue(ls.contains("tenant-acme"), ls);
        docker.run("rm", "-f", "web", "client", "t1").ok();
        docker.run("network", "rm", "a", "b", "tenant-acme", "tenant-globex").ok();
        assertEquals(List.of(), engine.bridge().networkBridges());
        String rules = nftTable(engine.bridge());
        String userBridge = engine.bridge().name().substring(0, 9) + "n";
        assertFalse(rules.contains("\"" + userBridge), rules);
    }

    private static void startWeb(String name, String network, String... flags) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name));
        if (network != null) {
            args.addAll(List.of("--network", network));
        }
        args.addAll(List.of(flags));
        args.addAll(List.of("busybox", "sh", "-c",
                "mkdir -p /www && echo page-from-web > /www/index.html && exec httpd -f -p 8080 -h /www"));
        docker.run(args.toArray(String[]::new)).ok();
    }

    private static String address(String container, String network) throws Exception {
        return docker.run("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}",
                container).ok().stdout().strip();
    }

    private static DockerCli.Result fetch(String network, String url) throws Exception {
        return docker.run("run", "--rm", "--network", network, "busybox", "sh", "-c",
                "for i in $(seq 50); do timeout 3 wget -qO- " + url + " && exit 0; sleep 0.2; done; exit 1");
    }

    private static String nftTable(TestBridge bridge) throws Exception {
        Process p = new ProcessBuilder("nft", "list", "table", "ip", bridge.table()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
