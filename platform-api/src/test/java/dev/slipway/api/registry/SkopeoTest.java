package dev.slipway.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real skopeo (Debian package) against the registry: copy in, inspect, list tags, copy out, delete. */
@QuarkusTest
class SkopeoTest {

    @TempDir
    Path work;

    @Test
    void skopeoCopiesInspectsListsCopiesBackAndDeletes() throws Exception {
        RegistryUser user = RegistryUser.create("skopeo");
        String tenant = Api.createTenant(user.user(), "sko");
        TestImage image = TestImage.busybox(work, 2);
        Path archive = image.ociArchive(work, "1");
        String ref = "docker://localhost:" + RestAssured.port + "/" + tenant + "/busybox";
        String creds = user.username() + ":" + user.pat();

        skopeo("copy", "--dest-creds", creds, "--dest-tls-verify=false", "oci-archive:" + archive, ref + ":1");

        // skopeo compresses the archive's plain tar layers on the way in, so the pushed manifest is its own; from
        // here on every copy must keep exactly that manifest.
        String pushed = user.v2().get("/v2/" + tenant + "/busybox/manifests/1").then().statusCode(200)
                .extract().header("Docker-Content-Digest");
        Digest digest = Digest.parse(pushed);
        String raw = skopeo("inspect", "--raw", "--creds", creds, "--tls-verify=false", ref + ":1");
        assertEquals(digest, Digest.sha256(raw.strip().getBytes(StandardCharsets.UTF_8)));
        assertTrue(raw.contains(image.config.digest().toString()), raw);
        String inspected = skopeo("inspect", "--creds", creds, "--tls-verify=false", ref + ":1");
        assertTrue(inspected.contains("\"Digest\": \"" + digest + "\""), inspected);
        assertTrue(skopeo("list-tags", "--creds", creds, "--tls-verify=false", ref).contains("\"1\""));

        Path out = work.resolve("out.tar");
        skopeo("copy", "--src-creds", creds, "--src-tls-verify=false", ref + ":1", "oci-archive:" + out + ":1");
        String copiedBack = skopeo("inspect", "--raw", "oci-archive:" + out);
        assertEquals(digest, Digest.sha256(copiedBack.strip().getBytes(StandardCharsets.UTF_8)));

        skopeo("delete", "--creds", creds, "--tls-verify=false", ref + ":1");
        Result gone = run(List.of("skopeo", "--policy", policy().toString(), "inspect", "--raw", "--creds", creds,
                "--tls-verify=false", ref + ":1"));
        assertTrue(gone.code != 0, "manifest still there after delete: " + gone.output);
    }

    private String skopeo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo", "--policy", policy().toString()));
        command.addAll(List.of(args));
        Result r = run(command);
        if (r.code != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.code + "): " + r.output);
        }
        return r.output;
    }

    private Path policy() throws IOException {
        Path p = work.resolve("policy.json");
        if (!Files.exists(p)) {
            Files.writeString(p, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        }
        return p;
    }

    private record Result(int code, String output) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        // stderr apart: skopeo's warnings must not mix with the manifest bytes it prints.
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(work.resolve("skopeo.err").toFile());
        pb.environment().put("TMPDIR", work.toString());
        pb.environment().put("HOME", work.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        return new Result(code, code == 0 ? output : output + Files.readString(work.resolve("skopeo.err")));
    }
}
