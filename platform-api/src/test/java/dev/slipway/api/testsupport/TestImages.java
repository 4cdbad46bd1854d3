package dev.slipway.api.testsupport;

import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.TestImage;
import dev.slipway.api.registry.storage.Digest;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Images for deployment tests. {@link #tag} registers a manifest straight in the registry's metadata (enough for a
 * deployment to resolve it; nothing can pull it). {@link #httpd} and {@link #crashing} build real runnable images
 * from the host's static busybox, as the registry tests do, and {@link #push} copies one into the test registry
 * with the real skopeo.
 */
public final class TestImages {

    /** The page every test httpd image serves at / (followed by its version text). */
    public static final String PAGE = "hello from slipway ";

    private TestImages() {
    }

    /** Tags a small manifest in repository {@code repo} (created for its tenant if missing); returns its digest. */
    public static String tag(String repo, String tag, boolean isPublic) {
        RegistryMetadata registry = Arc.container().instance(RegistryMetadata.class).get();
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                + "0".repeat(64) + "\",\"size\":2},\"layers\":[],\"annotations\":{\"test\":\"" + repo + ":" + tag
                + "\"}}";
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        String digest = Digest.sha256(bytes).toString();
        QuarkusTransaction.requiringNew().run(() -> {
            var repository = registry.ensureRepository(repo, repo.substring(0, repo.indexOf('/')));
            registry.setVisibility(repository.id(), isPublic);
            registry.putManifest(repository.id(), new RegistryMetadata.Manifest(digest,
                    "application/vnd.oci.image.manifest.v1+json", null, null, bytes, null, "test"), List.of());
            registry.putTag(repository.id(), tag, digest, "test");
        });
        return digest;
    }

    /** An image whose command is busybox httpd on port 8080 serving {@link #PAGE} + {@code version} at /. */
    public static Path httpd(Path work, String version) throws IOException, InterruptedException {
        Path www = Files.createDirectories(work.resolve("www-layer/www"));
        Files.writeString(www.resolve("index.html"), PAGE + version + "\n");
        return archive(work, "www-layer",
                "[\"/bin/busybox\",\"httpd\",\"-f\",\"-v\",\"-p\",\"8080\",\"-h\",\"/www\"]");
    }

    /** An image whose command prints a line and exits with status 3 at once. */
    public static Path crashing(Path work) throws IOException, InterruptedException {
        Files.createDirectories(work.resolve("empty-layer/etc"));
        Files.writeString(work.resolve("empty-layer/etc/crash"), "this image exits at once\n");
        return archive(work, "empty-layer", "[\"/bin/sh\",\"-c\",\"echo about to fail; exit 3\"]");
    }

    /** Copies an OCI archive to {@code registry}/{@code repoAndTag} with skopeo, authenticating as user + PAT. */
    public static void push(Path archive, String registry, String repoAndTag, String username, String pat)
            throws IOException, InterruptedException {
        Path policy = archive.resolveSibling("policy.json");
        Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        List<String> command = new ArrayList<>(List.of("skopeo", "--policy", policy.toString(), "copy",
                "--dest-creds", username + ":" + pat, "--dest-tls-verify=false", "oci-archive:" + archive,
                "docker://" + registry + "/" + repoAndTag));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TMPDIR", archive.getParent().toString());
        pb.environment().put("HOME", archive.getParent().toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("skopeo copy failed (is Debian's skopeo installed?): " + output);
        }
    }

    private static Path archive(Path work, String extraLayerDir, String cmdJson)
            throws IOException, InterruptedException {
        Path base = Files.createDirectories(work.resolve("base"));
        TestImage image = TestImage.busybox(base, 0);
        image.layers.add(layer(work, work.resolve(extraLayerDir)));
        StringBuilder diffIds = new StringBuilder();
        for (TestImage.Blob l : image.layers) {
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(l.digest()).append('"');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":" + cmdJson
                + ",\"ExposedPorts\":{\"8080/tcp\":{}}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds
                + "]}}").getBytes(StandardCharsets.UTF_8);
        image.config = new TestImage.Blob(Digest.sha256(config), config, TestImage.CONFIG);
        image.manifest = TestImage.manifestOf(image.config, image.layers, null);
        image.manifestDigest = Digest.sha256(image.manifest);
        return image.ociArchive(Files.createDirectories(work.resolve("out")), "latest");
    }

    private static TestImage.Blob layer(Path work, Path dir) throws IOException, InterruptedException {
        Path out = work.resolve(dir.getFileName() + ".tar");
        Process p = new ProcessBuilder("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0",
                "--numeric-owner", "-C", dir.toString(), "-cf", out.toString(), ".").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tar failed: " + output);
        }
        byte[] content = Files.readAllBytes(out);
        return new TestImage.Blob(Digest.sha256(content), content, TestImage.LAYER);
    }
}
