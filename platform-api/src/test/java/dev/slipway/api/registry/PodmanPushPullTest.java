package dev.slipway.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.registry.storage.Digest;
import dev.slipway.api.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real podman (Debian package) with its own storage under a temporary directory: log in with a PAT, push a
 * three-layer image, remove it, pull it back and get the same image; a wrong token and a foreign tenant are refused.
 */
@QuarkusTest
class PodmanPushPullTest {

    @TempDir
    Path work;

    @Test
    void podmanLoginPushRmiPull() throws Exception {
        RegistryUser user = RegistryUser.create("podman");
        String tenant = Api.createTenant(user.user(), "pod");
        String registry = "localhost:" + RestAssured.port;
        String ref = registry + "/" + tenant + "/multi:1";
        TestImage image = TestImage.busybox(Files.createDirectories(work.resolve("image")), 2);
        Path archive = image.ociArchive(work, "1");

        String loaded = must("pull", "oci-archive:" + archive).strip();
        String imageId = loaded.substring(loaded.lastIndexOf('\n') + 1);
        assertEquals(image.config.digest().hex(), imageId, "podman names an image by its config digest");
        must("tag", imageId, ref);

        Result wrong = podman(List.of("login", "--tls-verify=false", "-u", user.username(), "--password-stdin",
                registry), "slp_not-a-token");
        assertNotEquals(0, wrong.code(), wrong.output());
        Result login = podman(List.of("login", "--tls-verify=false", "-u", user.username(), "--password-stdin",
                registry), user.pat());
        assertEquals(0, login.code(), login.output());

        Path digestFile = work.resolve("pushed.digest");
        must("push", "--tls-verify=false", "--digestfile", digestFile.toString(), ref);
        Digest pushed = Digest.parse(Files.readString(digestFile).trim());
        String served = user.v2().accept("application/vnd.oci.image.manifest.v1+json")
                .get("/v2/" + tenant + "/multi/manifests/1").then().statusCode(200)
                .extract().header("Docker-Content-Digest");
        assertEquals(pushed.toString(), served);

        must("rmi", "--force", imageId);
        assertNotEquals(0, podman(List.of("image", "exists", imageId), null).code(), "image still there after rmi");
        String pulled = must("pull", "--tls-verify=false", ref);
        assertTrue(pulled.contains(imageId), pulled);
        assertEquals(imageId, must("image", "inspect", "--format", "{{.Id}}", ref).trim());

        // pushing into another tenant's namespace is refused
        RegistryUser stranger = RegistryUser.create("podman-b");
        String foreign = Api.createTenant(stranger.user(), "podb");
        must("tag", imageId, registry + "/" + foreign + "/stolen:1");
        Result refused = podman(List.of("push", "--tls-verify=false", registry + "/" + foreign + "/stolen:1"), null);
        assertNotEquals(0, refused.code(), refused.output());
        stranger.v2().get("/v2/" + foreign + "/stolen/tags/list").then().statusCode(404);
        user.api().get("/api/v1/tenants/" + tenant + "/repositories/multi").then().statusCode(200);
    }

    private record Result(int code, String output) {
    }

    private String must(String... args) throws IOException, InterruptedException {
        Result r = podman(List.of(args), null);
        if (r.code() != 0) {
            throw new AssertionError("podman " + String.join(" ", args) + " failed (" + r.code() + "): " + r.output());
        }
        return r.output();
    }

    /** Runs podman with storage, runtime state, auth file and config all under the test's directory. */
    private Result podman(List<String> args, String stdin) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
            throw new IllegalStateException("test needs podman (Debian package podman)");
        }
        Path home = Files.createDirectories(work.resolve("home"));
        Path authFile = home.resolve("auth.json");
        if (!Files.exists(authFile)) {
            Files.writeString(authFile, "{\"auths\":{}}");
        }
        List<String> command = new ArrayList<>(List.of("podman", "--root", work.resolve("root").toString(),
                "--runroot", work.resolve("runroot").toString(), "--storage-driver", "vfs", "--runtime", "runc",
                "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--tmpdir", home.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TMPDIR", home.toString());
        pb.environment().put("XDG_RUNTIME_DIR", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.toString());
        pb.environment().put("REGISTRY_AUTH_FILE", authFile.toString());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("podman " + args + " did not finish in 120 s: " + output);
        }
        return new Result(p.exitValue(), output);
    }
}
