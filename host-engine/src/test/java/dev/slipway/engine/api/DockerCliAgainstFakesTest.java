package dev.slipway.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.container.Engine;
import dev.slipway.engine.container.EngineParts;
import dev.slipway.engine.testing.DockerCli;
import dev.slipway.engine.image.ImageStore;
import dev.slipway.engine.image.LocalImageStore;
import dev.slipway.engine.snapshot.Snapshotter;
import dev.slipway.engine.snapshot.Snapshotters;
import dev.slipway.engine.testimages.ImageArchives;
import dev.slipway.engine.testimages.TestImages;
import dev.slipway.engine.testing.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local API against the real docker CLI and the real image store, with the runtime replaced by an in-process
 * fake that runs commands as plain host processes: checks the HTTP layer, routing, the run/attach/wait choreography, error
 * codes and the container state machine. The same flows against the real runtime are in the acceptance tests.
 */
class DockerCliAgainstFakesTest {

    @TempDir
    static Path tmp;
    static Engine engine;
    static DockerCli docker;

    @BeforeAll
    static void start() throws Exception {
        Path data = tmp.resolve("data");
        Snapshotter snapshots = Snapshotters.forHost(data);
        LocalImageStore images = new LocalImageStore(data.resolve("images"), snapshots);
        try (var archive = Files.newInputStream(ImageArchives.writeDockerSave(tmp.resolve("busybox.tar"),
                TestImages.busybox(), "busybox:latest"))) {
            images.load(archive, ImageStore.ProgressListener.NONE);
        }
        FakeRuntime runtime = new FakeRuntime();
        engine = Engine.start(tmp.resolve("engine.sock"), data,
                new EngineParts(images, snapshots, runtime, runtime.log()));
        docker = new DockerCli(tmp.resolve("engine.sock"), tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
    }

    @Test
    void versionNegotiatesAndInfoAnswers() throws Exception {
        String version = docker.run("version", "--format", "{{.Server.APIVersion}} {{.Client.APIVersion}}").ok()
                .stdout();
        assertEquals("1.43 1.43", version.trim());
        assertTrue(docker.run("info").ok().stdout().contains("Cgroup Version: 1"));
    }

    @Test
    void runRemovePrintsOutputAndLeavesNothing() throws Exception {
        DockerCli.Result r = docker.run("run", "--rm", "busybox", "echo", "hello").ok();
        assertEquals("hello\n", r.stdout());
        assertTrue(docker.run("ps", "-a", "-q").ok().stdout().isBlank());
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(tmp.toString()),
                "a rootfs is still mounted");
        try (var dirs = Files.list(tmp.resolve("data/containers"))) {
            assertEquals(0, dirs.count());
        }
    }

    @Test
    void runReportsExitCodeAndStderr() throws Exception {
        DockerCli.Result r = docker.run("run", "--name", "three", "busybox", "sh", "-c", "echo oops >&2; exit 3");
        assertEquals(3, r.exitCode());
        assertEquals("oops\n", r.stderr());
        assertEquals("exited 3", docker.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "three").ok()
                .stdout().trim());
        docker.run("rm", "three").ok();
    }

    @Test
    void stdinReachesTheProcess() throws Exception {
        DockerCli.Result r = docker.runWithInput("one\ntwo\n".getBytes(), "run", "--rm", "-i", "busybox", "cat").ok();
        assertEquals("one\ntwo\n", r.stdout());
    }

    @Test
    void detachedLifecycle() throws Exception {
        String id = docker.run("run", "-d", "--name", "s", "busybox", "sh", "-c", "echo started; exec sleep 1000")
                .ok().stdout().trim();
        assertEquals(64, id.length());
        assertTrue(docker.run("ps").ok().stdout().contains(" s\n"));
        DockerCli.Result conflict = docker.run("run", "-d", "--name", "s", "busybox", "true");
        assertEquals(125, conflict.exitCode());
        assertTrue(conflict.stderr().contains("is already in use"), conflict.stderr());
        assertEquals("started\n", waitForLogs("s"));
        assertEquals("inside\n", docker.run("exec", "s", "echo", "inside").ok().stdout());
        assertEquals(7, docker.run("exec", "s", "sh", "-c", "exit 7").exitCode());
        assertTrue(docker.run("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", "s").ok().stdout()
                .startsWith("s "));
        DockerCli.Result rmRunning = docker.run("rm", "s");
        assertFalse(rmRunning.exitCode() == 0);
        assertTrue(rmRunning.stderr().contains("cannot remove a running container"), rmRunning.stderr());
        docker.run("stop", "-t", "5", "s").ok();
        assertEquals("exited 143", docker.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "s")
                .ok().stdout().trim());
        assertEquals(id.substring(0, 12) + "\n", docker.run("ps", "-a", "-q", "--filter", "name=s").ok().stdout());
        docker.run("rm", id.substring(0, 8)).ok();
        DockerCli.Result gone = docker.run("inspect", "s");
        assertEquals(1, gone.exitCode());
        assertTrue(gone.stderr().contains("No such"), gone.stderr());
    }

    @Test
    void unknownImageIsA404() throws Exception {
        DockerCli.Result r = docker.run("run", "--rm", "--pull", "never", "nosuchimage", "true");
        assertEquals(125, r.exitCode());
        assertTrue(r.stderr().toLowerCase().contains("no such image"), r.stderr());
    }

    private static String waitForLogs(String name) throws Exception {
        for (int i = 0; i < 100; i++) {
            String out = docker.run("logs", name).ok().stdout();
            if (!out.isEmpty()) {
                return out;
            }
            Thread.sleep(50);
        }
        return "";
    }
}
