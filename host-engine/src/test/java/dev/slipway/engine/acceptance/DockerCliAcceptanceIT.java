package dev.slipway.engine.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.testimages.ImageArchives;
import dev.slipway.engine.testimages.TestImages;
import dev.slipway.engine.testing.DockerCli;
import dev.slipway.engine.testing.EngineProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's acceptance, end to end: the packaged engine jar as a child process (real runtime, image store,
 * snapshotter, cgroups, monitor) driven by the real docker CLI over its socket. One engine per class; the
 * image is loaded once; the engine is killed with SIGKILL and restarted in the middle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerCliAcceptanceIT {

    @TempDir
    static Path tmp;
    static Path socket;
    static Path data;
    static EngineProcess engine;
    static DockerCli docker;

    @BeforeAll
    static void startEngine() throws Exception {
        socket = tmp.resolve("engine.sock");
        data = tmp.resolve("data");
        engine = EngineProcess.start(socket, data);
        docker = new DockerCli(socket, tmp);
        Path archive = ImageArchives.writeDockerSave(tmp.resolve("busybox.tar"), TestImages.busybox(),
                "busybox:latest");
        DockerCli.Result load = docker.run("load", "-i", archive.toString()).ok();
        assertTrue(load.stdout().contains("Loaded image: busybox:latest"), load.stdout());
    }

    @AfterAll
    static void stopEngine() throws Exception {
        if (engine != null) {
            String left = docker.run("ps", "-aq").stdout().trim();
            if (!left.isEmpty()) {
                List<String> rm = new java.util.ArrayList<>(List.of("rm", "-f"));
                rm.addAll(List.of(left.split("\\s+")));
                docker.run(rm.toArray(String[]::new));
            }
            engine.close();
        }
    }

    @Test
    @Order(1)
    void runPrintsAndReportsExitCodes() throws Exception {
        assertEquals("hello\n", docker.run("run", "--rm", "busybox", "echo", "hello").ok().stdout());
        assertEquals(3, docker.run("run", "--rm", "busybox", "sh", "-c", "exit 3").exitCode());
        DockerCli.Result failing = docker.run("run", "--rm", "busybox", "no-such-binary");
        assertEquals(127, failing.exitCode(), failing.stderr());
    }

    @Test
    @Order(2)
    void runFlagsReachTheProcess() throws Exception {
        assertEquals("b /tmp 1000 1000\n", docker.run("run", "--rm", "-e", "A=b", "-w", "/tmp", "-u", "1000:1000",
                "busybox", "sh", "-c", "echo $A $(pwd) $(id -u) $(id -g)").ok().stdout());
        assertEquals("hi\n", docker.run("run", "--rm", "--entrypoint", "echo", "busybox", "hi").ok().stdout());
    }

    @Test
    @Order(3)
    void insideTheContainerItsOwnPidHostnameAndProc() throws Exception {
        String out = docker.run("run", "--rm", "--hostname", "box", "busybox", "sh", "-c",
                "echo $$; hostname; ls -d /proc/[0-9]* | wc -l").ok().stdout();
        List<String> lines = out.lines().toList();
        assertEquals("1", lines.get(0), out);
        assertEquals("box", lines.get(1), out);
        // sh itself, ls and wc: nothing of the host's
        assertTrue(Integer.parseInt(lines.get(2).trim()) <= 3, out);
    }

    @Test
    @Order(4)
    void networkNoneHasOnlyLoopback() throws Exception {
        String out = docker.run("run", "--rm", "--network", "none", "busybox", "sh", "-c",
                "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '").ok().stdout();
        assertEquals("lo\n", out);
    }

    @Test
    @Order(5)
    void stdinAndTty() throws Exception {
        assertEquals("one\ntwo\n", docker.runWithInput("one\ntwo\n".getBytes(), "run", "--rm", "-i", "busybox",
                "cat").ok().stdout());
        // -t needs a terminal on the client side: script(1) gives the CLI one.
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", DockerCli.BINARY + " run -t --rm busybox sh -c "
                + "'[ -t 0 ] && [ -t 1 ] && echo tty-ok'", "/dev/null").redirectErrorStream(true);
        pb.environment().putAll(docker.environment());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("tty-ok"), out);
    }

    @Test
    @Order(6)
    void memoryLimitOomKillsAndReportsIt() throws Exception {
        DockerCli.Result r = docker.run("run", "--name", "oom", "-m", "32m", "busybox", "sh", "-c",
                "a=$(head -c 100000000 /dev/zero | tr '\\0' x); echo survived");
        assertEquals(137, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("true 137", docker.run("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", "oom")
                .ok().stdout().trim());
        docker.run("rm", "oom").ok();
    }

    @Test
    @Order(7)
    void pidsLimitStopsAForkLoop() throws Exception {
        DockerCli.Result r = docker.run("run", "--rm", "--pids-limit", "20", "busybox", "sh", "-c",
                "for i in $(seq 1 40); do sleep 30 & done 2>&1; echo done");
        String all = r.stdout() + r.stderr();
        assertTrue(all.contains("can't fork") || all.contains("Resource temporarily unavailable"), all);
        assertEquals(0, new ProcessBuilder("true").start().waitFor(), "the host can still fork");
    }

    @Test
    @Order(8)
    void cpuQuotaHoldsTheContainerAtHalfACore() throws Exception {
        docker.run("run", "-d", "--name", "cpu", "--cpus", "0.5", "busybox", "sh", "-c", "while :; do :; done")
                .ok();
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(engine.http("GET", "/containers/cpu/stats?stream=false&one-shot=true"));
        Instant t0 = Instant.now();
        Thread.sleep(4000);
        JsonNode second = json.readTree(engine.http("GET", "/containers/cpu/stats?stream=false&one-shot=true"));
        double seconds = Duration.between(t0, Instant.now()).toNanos() / 1e9;
        double cores = (second.at("/cpu_stats/cpu_usage/total_usage").asLong()
                - first.at("/cpu_stats/cpu_usage/total_usage").asLong()) / 1e9 / seconds;
        // The quota is a ceiling; on a loaded test machine the loop may get less than its half core, never more.
        assertTrue(cores > 0.02 && cores < 0.56, "measured " + cores + " cores");
        docker.run("rm", "-f", "cpu").ok();
    }

    @Test
    @Order(9)
    void pullFromARegistryRunAndRemove() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = Files.writeString(tmp.resolve("registry.yml"), "version: 0.1\nstorage:\n  filesystem:\n"
                + "    rootdirectory: " + tmp.resolve("registry") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
        Process registry = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("registry.log").toFile()).start();
        try {
            String ref = "127.0.0.1:" + port + "/demo/busybox:1";
            Process copy = new ProcessBuilder("skopeo", "copy", "--retry-times", "5", "--dest-tls-verify=false",
                    "docker-archive:" + tmp.resolve("busybox.tar"), "docker://" + ref).redirectErrorStream(true)
                    .start();
            String copied = new String(copy.getInputStream().readAllBytes());
            assertEquals(0, copy.waitFor(), "skopeo copy: " + copied);
            DockerCli.Result pull = docker.run("pull", ref).ok();
            assertTrue(pull.stdout().contains("Downloaded newer image"), pull.stdout());
            assertEquals("pulled\n", docker.run("run", "--rm", ref, "echo", "pulled").ok().stdout());
            assertTrue(docker.run("rmi", ref).ok().stdout().contains("Untagged: " + ref));
        } finally {
            registry.destroy();
            registry.waitFor();
        }
    }

    @Test
    @Order(10)
    void detachedContainerLogsExecInspectStatsStop() throws Exception {
        String id = docker.run("run", "-d", "--name", "s", "busybox", "sh", "-c",
                "echo started; exec sleep 1000").ok().stdout().trim();
        assertEquals(64, id.length());
        assertTrue(docker.run("ps", "--format", "{{.Names}} {{.Status}}").ok().stdout().contains("s Up"));
        assertEquals("started\n", awaitLogs("s", "started\n"));
        String ps = docker.run("exec", "s", "ps").ok().stdout();
        assertTrue(ps.contains("sleep 1000") && ps.contains(" ps"), "exec ps printed: " + ps);
        assertEquals(5, docker.run("exec", "s", "sh", "-c", "exit 5").exitCode());
        JsonNode inspect = new ObjectMapper().readTree(docker.run("inspect", "s").ok().stdout()).get(0);
        assertEquals("/s", inspect.get("Name").asText());
        assertEquals(id, inspect.get("Id").asText());
        assertTrue(inspect.at("/State/Running").asBoolean());
        assertTrue(inspect.at("/State/Pid").asInt() > 1);
        assertEquals("busybox", inspect.at("/Config/Image").asText());
        assertTrue(docker.run("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", "s").ok().stdout()
                .startsWith("s 1"));
        // sleep as PID 1 ignores SIGTERM: stop must SIGKILL after the grace period, not hang.
        Instant before = Instant.now();
        docker.run("stop", "-t", "2", "s").ok();
        Duration took = Duration.between(before, Instant.now());
        assertTrue(took.toMillis() >= 1900 && took.toMillis() < 9000, "stop took " + took);
        assertEquals("exited 137", docker.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "s")
                .ok().stdout().trim());
        docker.run("start", "s").ok();
        docker.run("kill", "s").ok();
        assertEquals("137\n", docker.run("wait", "s").ok().stdout());
        docker.run("restart", "-t", "0", "s").ok();
        assertEquals("running", docker.run("inspect", "-f", "{{.State.Status}}", "s").ok().stdout().trim());
    }

    @Test
    @Order(11)
    void logsFollowTailSinceTimestampsAndExecWithATty() throws Exception {
        docker.run("run", "-d", "--name", "talker", "busybox", "sh", "-c",
                "echo one; echo two >&2; sleep 1; echo three").ok();
        // -f returns once the container has ended and everything was read
        DockerCli.Result follow = docker.run("logs", "-f", "talker").ok();
        assertEquals("one\nthree\n", follow.stdout());
        assertEquals("two\n", follow.stderr());
        assertEquals("three\n", docker.run("logs", "--tail", "1", "talker").ok().stdout());
        String stamped = docker.run("logs", "-t", "talker").ok().stdout();
        assertTrue(stamped.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z (one|three)")), stamped);
        assertEquals("", docker.run("logs", "--since", Long.toString(Instant.now().getEpochSecond() + 60), "talker")
                .ok().stdout());
        // as with Docker, a restarted container's log goes on: both runs, in order (the log shipper relies on it)
        docker.run("start", "talker").ok();
        assertEquals("0\n", docker.run("wait", "talker").ok().stdout());
        assertEquals("one\nthree\none\nthree\n", docker.run("logs", "talker").ok().stdout());
        docker.run("rm", "talker").ok();

        docker.run("run", "-d", "--name", "ttyexec", "busybox", "sleep", "1000").ok();
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", DockerCli.BINARY
                + " exec -it ttyexec sh -c '[ -t 0 ] && [ -t 1 ] && echo exec-tty-ok'", "/dev/null")
                .redirectErrorStream(true);
        pb.environment().putAll(docker.environment());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("exec-tty-ok"), out);
        assertEquals("ok\n", docker.runWithInput("ok\n".getBytes(), "exec", "-i", "ttyexec", "cat").ok().stdout());
        docker.run("rm", "-f", "ttyexec").ok();
    }

    @Test
    @Order(20)
    void containersSurviveAnEngineCrashAndAreAdopted() throws Exception {
        docker.run("run", "-d", "--name", "survivor", "busybox", "sh", "-c",
                "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done").ok();
        docker.run("run", "-d", "--name", "shortlived", "busybox", "sh", "-c", "sleep 2; exit 5").ok();
        int survivorPid = Integer.parseInt(docker.run("inspect", "-f", "{{.State.Pid}}", "survivor").ok().stdout()
                .trim());
        int shortPid = Integer.parseInt(docker.run("inspect", "-f", "{{.State.Pid}}", "shortlived").ok().stdout()
                .trim());
        engine.kill9();
        assertTrue(Files.exists(Path.of("/proc/" + survivorPid)), "the container died with the engine");
        awaitGone(shortPid);
        Thread.sleep(600); // survivor writes a few lines while no engine runs
        engine = EngineProcess.start(socket, data);

        assertEquals("survivor running", docker.run("ps", "--filter", "name=survivor", "--format",
                "{{.Names}} {{.State}}").ok().stdout().trim());
        assertEquals("exited 5", docker.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "shortlived")
                .ok().stdout().trim());
        List<String> lines = docker.run("logs", "survivor").ok().stdout().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            assertEquals("line " + i, lines.get(i), "no line lost or repeated");
        }
        assertTrue(lines.size() >= 10, "lines from before, during and after the crash: " + lines.size());
        assertEquals("s running", docker.run("ps", "--filter", "name=^s$", "--format", "{{.Names}} {{.State}}")
                .ok().stdout().trim());
        docker.run("stop", "-t", "1", "s").ok();
        docker.run("rm", "shortlived").ok();
    }

    @Test
    @Order(30)
    void removalLeavesNoMountCgroupOrDirectory() throws Exception {
        String id = docker.run("inspect", "-f", "{{.Id}}", "survivor").ok().stdout().trim();
        DockerCli.Result refused = docker.run("rm", "survivor");
        assertTrue(refused.exitCode() != 0 && refused.stderr().contains("cannot remove a running container"),
                refused.stderr());
        docker.run("rm", "-f", "survivor").ok();
        docker.run("rm", "s").ok();
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(id.substring(0, 12)), "mount left");
        try (Stream<Path> cgroups = Files.find(Path.of("/sys/fs/cgroup"), 4,
                (p, a) -> p.getFileName() != null && p.getFileName().toString().contains(id.substring(0, 12)))) {
            assertEquals(List.of(), cgroups.toList(), "cgroup left");
        }
        try (Stream<Path> left = Files.find(data, 6,
                (p, a) -> p.getFileName().toString().contains(id.substring(0, 12)))) {
            assertEquals(List.of(), left.toList(), "files left in the data dir");
        }
        assertEquals("", docker.run("ps", "-aq").ok().stdout());
    }

    private static String awaitLogs(String name, String expected) throws Exception {
        String out = "";
        for (int i = 0; i < 100 && !out.equals(expected); i++) {
            out = docker.run("logs", name).ok().stdout();
            if (!out.equals(expected)) {
                Thread.sleep(50);
            }
        }
        return out;
    }

    private static void awaitGone(int pid) throws InterruptedException {
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().join();
        }
    }
}
