package dev.slipway.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.container.Engine;
import dev.slipway.engine.container.EngineParts;
import dev.slipway.engine.image.LocalImageStore;
import dev.slipway.engine.snapshot.Snapshotter;
import dev.slipway.engine.snapshot.Snapshotters;
import dev.slipway.engine.testimages.ImageArchives;
import dev.slipway.engine.testimages.TestImages;
import dev.slipway.engine.testing.DockerCli;
import dev.slipway.engine.testing.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image commands of the real docker CLI against the real image store and snapshotter (only the runtime is a
 * fake): load, images, image inspect, rmi with Docker's conflict rules, and a container's snapshot cleanup.
 */
class ImageCommandsTest {

    @TempDir
    static Path tmp;
    static Engine engine;
    static DockerCli docker;
    static Snapshotter snapshots;

    @BeforeAll
    static void start() throws Exception {
        Path data = tmp.resolve("data");
        snapshots = Snapshotters.forHost(data);
        LocalImageStore images = new LocalImageStore(data.resolve("images"), snapshots);
        FakeRuntime runtime = new FakeRuntime();
        engine = Engine.start(tmp.resolve("engine.sock"), data, new EngineParts(images, snapshots, runtime,
                runtime.log()));
        images.setImageInUse(engine.containers()::usesImage);
        docker = new DockerCli(tmp.resolve("engine.sock"), tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
    }

    @Test
    void loadListInspectRunAndRemove() throws Exception {
        Path archive = ImageArchives.writeDockerSave(tmp.resolve("busybox.tar"), TestImages.busybox(),
                "busybox:latest");
        DockerCli.Result load = docker.run("load", "-i", archive.toString()).ok();
        assertTrue(load.stdout().contains("Loaded image: busybox:latest"), load.stdout());
        assertTrue(docker.run("images", "--format", "{{.Repository}}:{{.Tag}}").ok().stdout()
                .contains("busybox:latest"));
        assertEquals("[sh]", docker.run("image", "inspect", "-f", "{{.Config.Cmd}}", "busybox").ok().stdout().trim());

        String id = docker.run("create", "--name", "user", "busybox", "true").ok().stdout().trim();
        assertTrue(snapshots.exists(id), "the container's snapshot was prepared");
        DockerCli.Result refused = docker.run("rmi", "busybox");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.stderr().contains("conflict"), refused.stderr());

        docker.run("rm", "user").ok();
        assertTrue(!snapshots.exists(id), "the container's snapshot is gone after rm");
        assertTrue(Files.notExists(tmp.resolve("data/containers").resolve(id)));
        DockerCli.Result rmi = docker.run("rmi", "busybox").ok();
        assertTrue(rmi.stdout().contains("Untagged: busybox:latest") && rmi.stdout().contains("Deleted: sha256:"),
                rmi.stdout());
        DockerCli.Result missing = docker.run("image", "inspect", "busybox");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("No such image"), missing.stderr());
    }

    @Test
    void loadOfAnInvalidArchiveFailsAndLeavesNothing() throws Exception {
        Path junk = Files.write(tmp.resolve("junk.tar"), new byte[] {1, 2, 3, 4});
        DockerCli.Result r = docker.run("load", "-i", junk.toString());
        assertEquals(1, r.exitCode());
        assertTrue(docker.run("images", "-q").ok().stdout().isBlank());
    }
}
