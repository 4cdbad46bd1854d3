package dev.slipway.engine.testimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.engine.content.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * An image built in memory: its layers (uncompressed tars, bottom first) and its config JSON. Write it out with
 * {@link ImageArchives}. Build one with {@link TestImages} or {@link #of}.
 */
public record TestImage(List<byte[]> layers, byte[] config) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An image of these layers whose config runs {@code cmd} with {@code env}; linux/amd64. */
    public static TestImage of(List<String> entrypoint, List<String> cmd, List<String> env, byte[]... layers) {
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("created", LayerBuilder.MTIME.toString());
        ObjectNode runtime = config.putObject("config");
        if (!entrypoint.isEmpty()) {
            entrypoint.forEach(runtime.putArray("Entrypoint")::add);
        }
        cmd.forEach(runtime.putArray("Cmd")::add);
        env.forEach(runtime.putArray("Env")::add);
        runtime.put("WorkingDir", "/");
        runtime.putObject("Labels").put("org.slipway.test", "true");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        for (byte[] layer : layers) {
            diffIds.add(Digest.sha256(layer).toString());
        }
        try {
            return new TestImage(List.of(layers), JSON.writeValueAsBytes(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Docker's image id: the digest of the config. */
    public String id() {
        return Digest.sha256(config).toString();
    }

    /** The layers' uncompressed digests, bottom first. */
    public List<String> diffIds() {
        List<String> ids = new ArrayList<>();
        layers.forEach(l -> ids.add(Digest.sha256(l).toString()));
        return ids;
    }

    /** A layer gzip'd with fixed settings (same bytes every time), as OCI archives and registries carry it. */
    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
