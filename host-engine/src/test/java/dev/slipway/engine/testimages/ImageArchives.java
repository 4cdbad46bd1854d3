package dev.slipway.engine.testimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.engine.content.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes {@link TestImage}s as the archives {@code docker load} takes:
 * <ul>
 *   <li>{@link #writeDockerSave}: {@code docker save}'s format ({@code manifest.json}, {@code repositories},
 *   {@code <config hex>.json}, {@code <layer hex>/layer.tar}, layers uncompressed).</li>
 *   <li>{@link #writeOciArchive}: an OCI image layout ({@code oci-layout}, {@code index.json},
 *   {@code blobs/sha256/...}, layers gzip'd) with an {@code org.opencontainers.image.ref.name} annotation,
 *   as {@code skopeo copy ... oci-archive:file:ref} reads it.</li>
 * </ul>
 */
public final class ImageArchives {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageArchives() {
    }

    /** {@code repoTags} like {@code busybox:latest} (may be empty: an untagged image). */
    public static Path writeDockerSave(Path file, TestImage image, String... repoTags) throws IOException {
        try (TarArchiveOutputStream tar = open(file)) {
            String configName = Digest.sha256(image.config()).hex() + ".json";
            put(tar, configName, image.config());
            ArrayNode layers = JSON.createArrayNode();
            Set<String> written = new HashSet<>();
            for (byte[] layer : image.layers()) {
                String dir = Digest.sha256(layer).hex();
                if (written.add(dir)) {
                    putDir(tar, dir + "/");
                    put(tar, dir + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
                    put(tar, dir + "/layer.tar", layer);
                }
                layers.add(dir + "/layer.tar");
            }
            ArrayNode manifest = JSON.createArrayNode();
            ObjectNode entry = manifest.addObject();
            entry.put("Config", configName);
            ArrayNode tags = entry.putArray("RepoTags");
            List.of(repoTags).forEach(tags::add);
            entry.set("Layers", layers);
            put(tar, "manifest.json", JSON.writeValueAsBytes(manifest));
            ObjectNode repositories = JSON.createObjectNode();
            String top = Digest.sha256(image.layers().get(image.layers().size() - 1)).hex();
            for (String tag : repoTags) {
                int colon = tag.lastIndexOf(':');
                ObjectNode repo = repositories.has(tag.substring(0, colon))
                        ? (ObjectNode) repositories.get(tag.substring(0, colon))
                        : repositories.putObject(tag.substring(0, colon));
                repo.put(tag.substring(colon + 1), top);
            }
            put(tar, "repositories", JSON.writeValueAsBytes(repositories));
        }
        return file;
    }

    /** {@code refName} is the index annotation, e.g. {@code busybox:latest} or just {@code latest}; null: none. */
    public static Path writeOciArchive(Path file, TestImage image, String refName) throws IOException {
        try (TarArchiveOutputStream tar = open(file)) {
            put(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            putDir(tar, "blobs/");
            putDir(tar, "blobs/sha256/");
            byte[] manifest = ociManifest(image, (digest, bytes) -> put(tar, "blobs/sha256/" + digest.hex(), bytes));
            Digest manifestDigest = Digest.sha256(manifest);
            put(tar, "blobs/sha256/" + manifestDigest.hex(), manifest);
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", "application/vnd.oci.image.index.v1+json");
            ObjectNode descriptor = index.putArray("manifests").addObject();
            descriptor.put("mediaType", OCI_MANIFEST);
            descriptor.put("digest", manifestDigest.toString());
            descriptor.put("size", manifest.length);
            if (refName != null) {
                descriptor.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
            }
            put(tar, "index.json", JSON.writeValueAsBytes(index));
        }
        return file;
    }

    /**
     * An OCI archive whose index.json names one image index (a multi-platform image) holding one manifest per
     * platform ({@code "linux/amd64"} -> image), as {@code skopeo copy --all} pushes it.
     */
    public static Path writeOciIndexArchive(Path file, java.util.Map<String, TestImage> platforms, String refName)
            throws IOException {
        try (TarArchiveOutputStream tar = open(file)) {
            put(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            Set<Digest> written = new HashSet<>();
            BlobSink sink = (digest, bytes) -> {
                if (written.add(digest)) {
                    put(tar, "blobs/sha256/" + digest.hex(), bytes);
                }
            };
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", "application/vnd.oci.image.index.v1+json");
            ArrayNode manifests = index.putArray("manifests");
            for (var platform : platforms.entrySet()) {
                byte[] manifest = ociManifest(platform.getValue(), sink);
                Digest digest = Digest.sha256(manifest);
                sink.blob(digest, manifest);
                ObjectNode d = manifests.addObject();
                d.put("mediaType", OCI_MANIFEST);
                d.put("digest", digest.toString());
                d.put("size", manifest.length);
                String[] osArch = platform.getKey().split("/");
                d.putObject("platform").put("os", osArch[0]).put("architecture", osArch[1]);
            }
            byte[] indexBytes = JSON.writeValueAsBytes(index);
            Digest indexDigest = Digest.sha256(indexBytes);
            sink.blob(indexDigest, indexBytes);
            ObjectNode top = JSON.createObjectNode();
            top.put("schemaVersion", 2);
            ObjectNode descriptor = top.putArray("manifests").addObject();
            descriptor.put("mediaType", "application/vnd.oci.image.index.v1+json");
            descriptor.put("digest", indexDigest.toString());
            descriptor.put("size", indexBytes.length);
            descriptor.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
            put(tar, "index.json", JSON.writeValueAsBytes(top));
        }
        return file;
    }

    /** Receives each blob an OCI manifest refers to. */
    public interface BlobSink {
        void blob(Digest digest, byte[] content) throws IOException;
    }

    /** The OCI manifest of {@code image} (layers gzip'd); hands the config and layer blobs to {@code sink}. */
    public static byte[] ociManifest(TestImage image, BlobSink sink) throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        Digest configDigest = Digest.sha256(image.config());
        sink.blob(configDigest, image.config());
        ObjectNode config = manifest.putObject("config");
        config.put("mediaType", OCI_CONFIG);
        config.put("digest", configDigest.toString());
        config.put("size", image.config().length);
        ArrayNode layers = manifest.putArray("layers");
        Set<Digest> written = new HashSet<>();
        for (byte[] layer : image.layers()) {
            byte[] gz = TestImage.gzip(layer);
            Digest digest = Digest.sha256(gz);
            if (written.add(digest)) {
                sink.blob(digest, gz);
            }
            ObjectNode descriptor = layers.addObject();
            descriptor.put("mediaType", OCI_LAYER_GZIP);
            descriptor.put("digest", digest.toString());
            descriptor.put("size", gz.length);
        }
        return JSON.writeValueAsBytes(manifest);
    }

    private static TarArchiveOutputStream open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(0100644);
        e.setModTime(LayerBuilder.MTIME.toEpochMilli());
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void putDir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(LayerBuilder.MTIME.toEpochMilli());
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }
}
