package dev.slipway.engine.agent;

import static dev.slipway.engine.agent.RecordingOutbox.instance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.engine.container.ContainerRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's convergence and supervision against a real engine in this JVM (real runtime, cgroups, bridge, image
 * store and registry), observed through the real docker CLI on the engine's socket and the frames the agent
 * sends up.
 */
class ConvergenceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    static AgentTestEngine fx;

    @TempDir
    Path agentDir;
    RecordingOutbox outbox;
    Convergence convergence;

    @BeforeAll
    static void engine() throws Exception {
        fx = AgentTestEngine.shared();
    }

    @BeforeEach
    void agent() throws Exception {
        outbox = new RecordingOutbox();
        convergence = new Convergence(fx.supervision(outbox, agentDir));
    }

    @AfterEach
    void cleanUp() {
        convergence.close();
        fx.removeInstanceContainers();
    }

    private String containerOf(String instanceId) {
        List<ContainerRecord> of = fx.instanceContainers().stream()
                .filter(r -> InstanceContainer.instanceId(r).equals(instanceId)).toList();
        assertEquals(1, of.size(), "containers of instance " + instanceId + ": " + of);
        return of.get(0).id();
    }

    private String docker(String... args) throws Exception {
        return fx.docker.run(args).ok().stdout().strip();
    }

    @Test
    void assignStartsWhatIsMissingStopsWhatIsNotInTheSetAndReplacesOnAGrownGeneration() throws Exception {
        Wire.InstanceSpec web = fx.spec("web", 0, List.of("sleep", "1000"));
        Wire.InstanceSpec worker = fx.spec("worker", 0, List.of("sleep", "1000"));
        convergence.apply(List.of(web, worker));
        outbox.await(0, instance(web.instanceId(), "running"), WAIT, "web running");
        outbox.await(0, instance(worker.instanceId(), "running"), WAIT, "worker running");

        // named, labelled and limited as the spec says, seen through the docker CLI
        String webId = containerOf(web.instanceId());
        String workerId = containerOf(worker.instanceId());
        String shortId = web.instanceId().replace("-", "").substring(0, 8);
        assertEquals("web-v1-" + shortId, docker("ps", "--filter", "label=slipway.app=web", "--format", "{{.Names}}"));
        assertEquals("acme v1 " + web.instanceId() + " " + (64L << 20) + " 500000000 128 GREETING=hello",
                docker("inspect", "--format", "{{index .Config.Labels \"slipway.tenant\"}} "
                        + "{{index .Config.Labels \"slipway.release\"}} {{index .Config.Labels \"slipway.instance\"}} "
                        + "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} "
                        + "{{range .Config.Env}}{{if eq (index (split . \"=\") 0) \"GREETING\"}}{{.}}{{end}}{{end}}",
                        webId));
        assertFalse(new ImageFetcher(fx.images()).ensure(fx.image, null), "a present image is pulled again");

        // the same set again, several times at once: nothing changes
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> applied = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            applied.add(pool.submit(() -> {
                go.await();
                convergence.apply(List.of(web, worker));
                return null;
            }));
        }
        go.countDown();
        for (var f : applied) {
            f.get();
        }
        pool.shutdown();

        // generation 1 of web: a new container replaces the old one; worker is untouched
        Wire.InstanceSpec web1 = fx.spec(web.instanceId(), "web", 1, List.of("sleep", "1000"), null, null);
        int before = outbox.size();
        convergence.apply(List.of(web1, worker));
        int stopping = outbox.await(before, instance(web.instanceId(), "stopping"), WAIT, "web stopping");
        outbox.await(stopping, instance(web.instanceId(), "running"), WAIT, "web running again");
        String newWebId = containerOf(web.instanceId());
        assertNotEquals(webId, newWebId);
        assertEquals("", docker("ps", "-a", "-q", "--no-trunc", "--filter", "id=" + webId));
        assertEquals("1", docker("inspect", "--format", "{{index .Config.Labels \"slipway.generation\"}}", newWebId));
        assertEquals(workerId, containerOf(worker.instanceId()));

        // web leaves the set: stopped (SIGTERM, then SIGKILL after its 2 s grace: sleep ignores TERM as pid 1)
        before = outbox.size();
        convergence.apply(List.of(worker));
        outbox.await(before, instance(web.instanceId(), "stopped"), WAIT, "web stopped");
        assertEquals("", docker("ps", "-a", "-q", "--filter", "label=slipway.instance=" + web.instanceId()));
        assertEquals(workerId, containerOf(worker.instanceId()));

        before = outbox.size();
        convergence.apply(List.of());
        outbox.await(before, instance(worker.instanceId(), "stopped"), WAIT, "worker stopped");
        assertEquals(List.of(), fx.instanceContainers());
        java.time.Instant deadline = java.time.Instant.now().plus(WAIT); // dropped right after their last frame
        while (!convergence.statusesForHello().isEmpty()) {
            assertTrue(java.time.Instant.now().isBefore(deadline), "retired supervisors are dropped");
            Thread.sleep(20);
        }
    }

    @Test
    void aCrashingInstanceRestartsWithGrowingBackOffAndReportsExitCodeAndLastLines() throws Exception {
        Wire.InstanceSpec crashy = fx.spec("crashy", 0, List.of("sh", "-c", "echo starting up; echo boom >&2; exit 3"));
        convergence.apply(List.of(crashy));
        List<Integer> crashes = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < 3; i++) {
            from = outbox.await(from, instance(crashy.instanceId(), "crash-loop"), WAIT, "crash " + i);
            crashes.add(from);
            from++;
        }
        for (int i = 0; i < 3; i++) {
            JsonNode f = outbox.get(crashes.get(i));
            assertEquals(3, f.path("exitCode").asInt(), f.toString());
            assertEquals(i, f.path("restarts").asInt(), f.toString());
            assertFalse(f.path("healthy").asBoolean());
            assertFalse(f.path("oomKilled").asBoolean());
            assertEquals(List.of("starting up", "boom"), texts(f.path("lastLog")));
            assertTrue(f.path("reason").asText().contains("restarting in " + (1 << i) + " s"), f.toString());
            assertTrue(f.path("finishedAt").asText().startsWith("20"), f.toString());
        }
        Duration first = Duration.between(outbox.time(crashes.get(0)), outbox.time(crashes.get(1)));
        Duration second = Duration.between(outbox.time(crashes.get(1)), outbox.time(crashes.get(2)));
        assertTrue(first.toMillis() >= 900, "first back-off " + first);
        assertTrue(second.toMillis() >= 1900 && second.compareTo(first) > 0, "second back-off " + second
                + " after " + first);
    }

    @Test
    void aKilledProcessComesBackAndItsRestartCountRises() throws Exception {
        Wire.InstanceSpec web = fx.spec("killme", 0, List.of("sleep", "1000"));
        convergence.apply(List.of(web));
        int running = outbox.await(0, instance(web.instanceId(), "running"), WAIT, "running");
        String id = containerOf(web.instanceId());
        docker("kill", id);
        int crash = outbox.await(running, instance(web.instanceId(), "crash-loop"), WAIT, "crash after kill");
        assertEquals(137, outbox.get(crash).path("exitCode").asInt());
        int back = outbox.await(crash, instance(web.instanceId(), "running"), WAIT, "running again");
        assertEquals(1, outbox.get(back).path("restarts").asInt());
        assertEquals("true 1", docker("inspect", "--format", "{{.State.Running}} {{.RestartCount}}", id));
    }

    /** An httpd on 8080 serving /etc, healthy while /etc/motd is there. */
    private static Wire.InstanceSpec motdSite() {
        return fx.spec(UUID.randomUUID().toString(), "site", 0, List.of("httpd", "-f", "-p", "8080", "-h", "/etc"),
                8080, new Wire.HealthCheck("/motd", 1, 1));
    }

    /** Assigns {@code spec} alone and waits for its first healthy report; returns that frame's index. */
    private int applyUntilHealthy(Wire.InstanceSpec spec) throws InterruptedException {
        convergence.apply(List.of(spec));
        return outbox.await(0, f -> instance(spec.instanceId(), "running").test(f) && f.path("healthy").asBoolean(),
                WAIT, "healthy");
    }

    @Test
    void healthFollowsTheHttpCheckAndTheEndpointIsTheBridgeAddress() throws Exception {
        Wire.InstanceSpec web = motdSite();
        int healthy = applyUntilHealthy(web);
        String endpoint = outbox.get(healthy).path("endpoint").asText();
        // the instance (labelled slipway.tenant=acme) lives on its tenant's network, tenant-acme
        String address = docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"tenant-acme\").IPAddress}}",
                containerOf(web.instanceId())).strip();
        assertEquals(address + ":8080", endpoint);
        assertTrue(endpoint.startsWith("10.221."), endpoint);
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + endpoint + "/motd")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("welcome to the slipway test image\n", page.body());

        String id = containerOf(web.instanceId());
        docker("exec", id, "rm", "/etc/motd");
        int sick = outbox.await(healthy, f -> instance(web.instanceId(), "running").test(f)
                && !f.path("healthy").asBoolean(), WAIT, "unhealthy after the page went");
        docker("exec", id, "sh", "-c", "echo back > /etc/motd");
        outbox.await(sick, f -> instance(web.instanceId(), "running").test(f) && f.path("healthy").asBoolean(),
                WAIT, "healthy again");
    }

    @Test
    void withAnAdvertisedAddressTheAppPortIsPublishedThereAndFreedWhenTheInstanceStops() throws Exception {
        convergence.close();
        convergence = new Convergence(fx.supervision(outbox, agentDir, Supervision.DEFAULT_BACKOFF_RESET,
                EndpointResolver.published(fx.containers(), "127.0.0.1")));
        Wire.InstanceSpec web = motdSite();
        int healthy = applyUntilHealthy(web);
        String endpoint = outbox.get(healthy).path("endpoint").asText();
        assertTrue(endpoint.matches("127\\.0\\.0\\.1:[0-9]+"), endpoint);
        int hostPort = Integer.parseInt(endpoint.substring(endpoint.indexOf(':') + 1));
        assertEquals("127.0.0.1:" + hostPort, docker("port", containerOf(web.instanceId()), "8080/tcp"));
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + endpoint + "/motd")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("welcome to the slipway test image\n", page.body());

        convergence.apply(List.of());
        outbox.await(healthy, instance(web.instanceId(), "stopped"), WAIT, "stopped");
        try (java.net.ServerSocket free = new java.net.ServerSocket()) {
            free.bind(new java.net.InetSocketAddress("127.0.0.1", hostPort));
        }
    }

    @Test
    void stopAllStopsAndRemovesEveryInstanceAndAppliesNoLaterAssign() throws Exception {
        Wire.InstanceSpec a = fx.spec("web", 0, List.of("httpd", "-f", "-p", "8080"));
        Wire.InstanceSpec b = fx.spec("worker", 0, List.of("sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"));
        convergence.apply(List.of(a, b));
        outbox.await(0, instance(a.instanceId(), "running"), WAIT, "a running");
        outbox.await(0, instance(b.instanceId(), "running"), WAIT, "b running");
        List<String> ids = List.of(containerOf(a.instanceId()), containerOf(b.instanceId()));
        int from = outbox.size();

        assertEquals(0, convergence.stopAll(WAIT));
        outbox.await(from, instance(a.instanceId(), "stopped"), WAIT, "a stopped");
        outbox.await(from, instance(b.instanceId(), "stopped"), WAIT, "b stopped");
        assertEquals(List.of(), fx.instanceContainers());
        for (String id : ids) {
            assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(id), "a mount of " + id + " is left");
            try (var procs = Files.list(Path.of("/proc"))) {
                List<String> left = procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).filter(p -> {
                    try {
                        return Files.readString(p.resolve("cgroup")).contains(id);
                    } catch (java.io.IOException gone) {
                        return false;
                    }
                }).map(p -> p.getFileName().toString()).toList();
                assertEquals(List.of(), left, "processes in the cgroup of " + id);
            }
        }

        convergence.apply(List.of(a, b));
        Thread.sleep(2000);
        assertEquals(List.of(), fx.instanceContainers(), "an assign after stopAll started something");
    }

    @Test
    void theFirstHealthChecksDoNotWaitForTheIntervalSoASlowStarterIsHealthySoonAfterItServes() throws Exception {
        // listens only after 1 s, so the first probes fail; with a 300 s interval only the fast first probes
        // can make it healthy within the few seconds allowed here
        Wire.InstanceSpec slow = fx.spec(UUID.randomUUID().toString(), "slow", 0,
                List.of("sh", "-c", "sleep 1; exec httpd -f -p 8080 -h /etc"), 8080,
                new Wire.HealthCheck("/motd", 300, 1));
        convergence.apply(List.of(slow));
        int running = outbox.await(0, instance(slow.instanceId(), "running"), WAIT, "running");
        Instant runningAt = Instant.now();
        outbox.await(running, f -> instance(slow.instanceId(), "running").test(f) && f.path("healthy").asBoolean(),
                Duration.ofSeconds(5), "healthy within 5 s of running");
        Duration took = Duration.between(runningAt, Instant.now());
        assertTrue(took.toMillis() >= 500, "healthy before it could listen: " + took);
    }

    @Test
    void statsAreTheContainersCgroupCounters() throws Exception {
        Wire.InstanceSpec busy = fx.spec("busy", 0, List.of("sh", "-c",
                "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; sleep 1000"));
        convergence.apply(List.of(busy));
        outbox.await(0, instance(busy.instanceId(), "running"), WAIT, "running");
        String id = containerOf(busy.instanceId());
        StatsReporter stats = new StatsReporter(fx.containers());
        Wire.StatsSample first = sampleOf(stats, busy.instanceId());
        Thread.sleep(300); // let the busy loop burn CPU between the two readings
        Wire.StatsSample second = sampleOf(stats, busy.instanceId());

        assertEquals(id, second.containerId());
        assertEquals(64L << 20, second.memoryLimitBytes());
        assertTrue(second.memoryBytes() > 0 && second.memoryBytes() < (64L << 20), second.toString());
        assertTrue(second.pids() >= 1 && second.pids() <= 3, second.toString());
        assertTrue(second.cpuUsageNanos() > first.cpuUsageNanos(), first + " then " + second);
        assertEquals(fx.containers().get(id).state().startedAt().toString(), second.startedAt());

        // the same figures the kernel shows for the container's init process's cgroups
        String pid = docker("inspect", "--format", "{{.State.Pid}}", id);
        Map<String, String> cgroups = Files.readAllLines(Path.of("/proc", pid, "cgroup")).stream()
                .map(l -> l.split(":", 3)).collect(Collectors.toMap(p -> p[1], p -> p[2], (a, b) -> a));
        assertEquals(Long.toString(64L << 20), cgroupFile(cgroups, "memory", "memory.limit_in_bytes"));
        assertEquals("50000", cgroupFile(cgroups, "cpu", "cpu.cfs_quota_us"));
        assertEquals("128", cgroupFile(cgroups, "pids", "pids.max"));
        long kernelCpu = Long.parseLong(cgroupFile(cgroups, "cpuacct", "cpuacct.usage"));
        assertTrue(kernelCpu >= second.cpuUsageNanos(), kernelCpu + " < " + second.cpuUsageNanos());
    }

    /** A file of the v1 hierarchy holding {@code controller}, in the cgroup the process is in. */
    private static String cgroupFile(Map<String, String> cgroups, String controller, String file) throws Exception {
        Map.Entry<String, String> entry = cgroups.entrySet().stream()
                .filter(e -> List.of(e.getKey().split(",")).contains(controller)).findFirst().orElseThrow();
        return Files.readString(Path.of("/sys/fs/cgroup", entry.getKey(), entry.getValue(), file)).strip();
    }

    private Wire.StatsSample sampleOf(StatsReporter stats, String instanceId) {
        return stats.sample(convergence.supervisors()).samples().stream()
                .filter(s -> s.instanceId().equals(instanceId)).findFirst().orElseThrow();
    }

    @Test
    void aRestartedEngineReadoptsRunningInstancesAndKeepsSupervisingThem() throws Exception {
        Wire.InstanceSpec web = fx.spec("survivor", 0, List.of("sleep", "1000"));
        convergence.apply(List.of(web));
        outbox.await(0, instance(web.instanceId(), "running"), WAIT, "running");
        String id = containerOf(web.instanceId());
        String pid = docker("inspect", "--format", "{{.State.Pid}}", id);

        convergence.close();
        fx.restart();
        outbox = new RecordingOutbox();
        convergence = new Convergence(fx.supervision(outbox, agentDir));
        convergence.adoptExisting();
        int adopted = outbox.await(0, instance(web.instanceId(), "running"), WAIT, "adopted");
        assertEquals(id, outbox.get(adopted).path("containerId").asText());
        assertEquals(pid, docker("inspect", "--format", "{{.State.Pid}}", id), "the process was restarted");
        Wire.InstanceStatus hello = convergence.statusesForHello().stream()
                .filter(s -> s.instanceId().equals(web.instanceId())).findFirst().orElseThrow();
        assertEquals("running", hello.state());

        // supervised from the stored spec, before any assign: a kill is a crash and it comes back
        docker("kill", id);
        int crash = outbox.await(adopted, instance(web.instanceId(), "crash-loop"), WAIT, "crash");
        outbox.await(crash, instance(web.instanceId(), "running"), WAIT, "restarted");

        // an assign without it (the API does not know it) stops it
        convergence.apply(List.of());
        outbox.await(crash, instance(web.instanceId(), "stopped"), WAIT, "stopped");
        assertEquals(List.of(), fx.instanceContainers());
    }

    @Test
    void labelledContainersTheAgentDidNotMakeGoAndUnpullableImagesFail() throws Exception {
        String stray = UUID.randomUUID().toString();
        docker("run", "-d", "--name", "stray", "--label", "slipway.instance=" + stray, fx.image, "sleep", "1000");
        docker("run", "-d", "--name", "handmade", "--label", "slipway.instance=not-a-uuid", fx.image, "sleep", "1000");
        Wire.InstanceSpec broken = new Wire.InstanceSpec(UUID.randomUUID().toString(), "broken", "acme", "v1", 0,
                "127.0.0.1:9/nothing/here@sha256:" + "0".repeat(64), new Wire.PullAuth("expired"), null, Map.of(),
                null, null, null, 1);
        convergence.apply(List.of(broken));
        int failed = outbox.await(0, instance(broken.instanceId(), "failed"), WAIT, "failed pull");
        assertTrue(outbox.get(failed).path("reason").asText().contains("127.0.0.1:9/nothing/here"),
                outbox.get(failed).toString());
        outbox.await(0, instance(stray, "stopped"), WAIT, "stray stopped");
        assertEquals("", docker("ps", "-a", "-q", "--filter", "name=stray"));
        // stopped and removed like the other (10 s grace: no spec), but never reported: its id is no UUID
        java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
        while (!docker("ps", "-a", "-q", "--filter", "name=handmade").isEmpty()) {
            assertTrue(java.time.Instant.now().isBefore(deadline), "hand-made labelled container still there");
            Thread.sleep(200);
        }
        assertTrue(outbox.instanceFrames("not-a-uuid").isEmpty());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
