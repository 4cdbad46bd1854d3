package dev.slipway.api.registry;

import dev.slipway.api.registry.storage.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a small real image from the host's static busybox (no Docker Hub): each layer is a tar made by the system
 * {@code tar}, written as an OCI image layout and packed as an OCI archive that skopeo can copy.
 */
public final class TestImage {

    public record Blob(Digest digest, byte[] content, String mediaType) {
    }

    public final List<Blob> layers = new ArrayList<>();
    public Blob config;
    public byte[] manifest;
    public Digest manifestDigest;

    public static final String LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";

    /** Layer 1: /bin/busybox and /bin/sh; then {@code extraLayers} layers with one small distinct file each. */
    public static TestImage busybox(Path work, int extraLayers) throws IOException, InterruptedException {
        TestImage image = new TestImage();
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IllegalStateException("test needs /bin/busybox (Debian busybox-static)");
        }
        Path root = Files.createDirectories(work.resolve("layer0/bin"));
        Files.copy(busybox, root.resolve("busybox"));
        Files.createSymbolicLink(root.resolve("sh"), Path.of("busybox"));
        image.layers.add(tar(work, work.resolve("layer0")));
        for (int i = 1; i <= extraLayers; i++) {
            Path dir = Files.createDirectories(work.resolve("layer" + i + "/etc"));
            Files.writeString(dir.resolve("layer-" + i), "layer " + i + " of a Slipway test image\n");
            image.layers.add(tar(work, work.resolve("layer" + i)));
        }
        StringBuilder diffIds = new StringBuilder();
        for (Blob l : image.layers) {
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(l.digest()).append('"');
        }
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        image.config = new Blob(Digest.sha256(configBytes), configBytes, CONFIG);
        image.manifest = manifestOf(image.config, image.layers, null);
        image.manifestDigest = Digest.sha256(image.manifest);
        return image;
    }

    public static byte[] manifestOf(Blob config, List<Blob> layers, String subjectJson) {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",");
        sb.append("\"config\":").append(descriptor(config)).append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(descriptor(layers.get(i)));
        }
        sb.append("]");
        if (subjectJson != null) {
            sb.append(",\"subject\":").append(subjectJson);
        }
        return sb.append("}").toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String descriptor(Blob b) {
        return "{\"mediaType\":\"" + b.mediaType() + "\",\"digest\":\"" + b.digest() + "\",\"size\":"
                + b.content().length + "}";
    }

    /** Writes the image as an OCI archive (a tar of an OCI image layout) and returns its path. */
    public Path ociArchive(Path work, String tag) throws IOException, InterruptedException {
        Path layout = Files.createDirectories(work.resolve("layout"));
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        for (Blob b : allBlobs()) {
            Files.write(blobs.resolve(b.digest().hex()), b.content());
        }
        Files.write(blobs.resolve(manifestDigest.hex()), manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
        Path archive = work.resolve("image.tar");
        run(List.of("tar", "-C", layout.toString(), "-cf", archive.toString(), "."));
        return archive;
    }

    /** Pushes the image's blobs and manifest to {@code repo:tag} through /v2 and returns the manifest digest. */
    public Digest push(RegistryUser who, String repo, String tag) {
        for (Blob blob : allBlobs()) {
            RegistryProtocolTest.pushBlob(who, repo, blob.content());
        }
        who.v2().contentType("application/vnd.oci.image.manifest.v1+json").body(manifest)
                .put("/v2/" + repo + "/manifests/" + tag).then().statusCode(201);
        return manifestDigest;
    }

    public List<Blob> allBlobs() {
        List<Blob> all = new ArrayList<>(layers);
        all.add(config);
        return all;
    }

    private static Blob tar(Path work, Path dir) throws IOException, InterruptedException {
        Path out = work.resolve(dir.getFileName() + ".tar");
        run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-C",
                dir.toString(), "-cf", out.toString(), "."));
        byte[] content = Files.readAllBytes(out);
        return new Blob(Digest.sha256(content), content, LAYER);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
