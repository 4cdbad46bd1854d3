package dev.slipway.engine.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.content.ContentStore;
import dev.slipway.engine.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>}). Every blob reached from
 * {@code index.json} is verified against its descriptor's digest and size. An entry is named by its
 * {@code io.containerd.image.name} annotation, or by {@code org.opencontainers.image.ref.name} when that is a
 * full reference ({@code busybox:latest}); a bare tag ({@code latest}) names nothing, so the image loads untagged.
 */
final class OciLayoutFormat {

    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    private OciLayoutFormat() {
    }

    static boolean matches(Path dir) {
        return Files.isRegularFile(dir.resolve("oci-layout")) && Files.isRegularFile(dir.resolve("index.json"));
    }

    static List<ArchiveImage> read(Path dir, ContentStore content, ImageStore.ProgressListener progress)
            throws IOException, ImageException {
        Manifests.Parsed index = Manifests.parse(Files.readAllBytes(dir.resolve("index.json")), Manifests.OCI_INDEX);
        if (!index.isIndex()) {
            throw new ImageException(ImageException.Reason.INVALID, "index.json is not an image index");
        }
        List<ArchiveImage> images = new ArrayList<>();
        for (Manifests.Descriptor entry : index.manifests()) {
            List<Digest> manifests = new ArrayList<>();
            Manifests.Descriptor descriptor = entry;
            Manifests.Parsed parsed = Manifests.parse(blob(dir, descriptor, content), descriptor.mediaType());
            manifests.add(descriptor.digest());
            if (parsed.isIndex()) {
                descriptor = Manifests.linuxAmd64(parsed);
                parsed = Manifests.parse(blob(dir, descriptor, content), descriptor.mediaType());
                manifests.add(descriptor.digest());
                if (parsed.isIndex()) {
                    throw new ImageException(ImageException.Reason.INVALID, "nested image indexes are not supported");
                }
            }
            blob(dir, parsed.config(), content);
            List<Digest> layers = new ArrayList<>();
            for (Manifests.Descriptor layer : parsed.layers()) {
                blob(dir, layer, content);
                progress.progress(layer.digest().hex().substring(0, 12), "Loading layer", layer.size(), layer.size());
                layers.add(layer.digest());
            }
            String name = name(entry);
            List<String> tags = new ArrayList<>();
            List<String> digests = new ArrayList<>();
            if (name != null) {
                ImageReference ref = ImageReference.parse(name);
                if (ref.tag() != null) {
                    tags.add(ref.nameAndTag());
                }
                digests.add(ref.name() + "@" + entry.digest());
            }
            images.add(new ArchiveImage(parsed.config().digest(), layers, manifests, tags, digests));
        }
        return images;
    }

    private static String name(Manifests.Descriptor entry) {
        String containerd = entry.annotations().get(CONTAINERD_NAME);
        if (containerd != null) {
            return containerd;
        }
        String ref = entry.annotations().get(REF_NAME);
        return ref != null && (ref.contains(":") || ref.contains("/")) ? ref : null;
    }

    /** Verifies a blob of the layout into the content store and returns its bytes if small (manifests). */
    private static byte[] blob(Path dir, Manifests.Descriptor d, ContentStore content) throws IOException, ImageException {
        Path file = dir.resolve("blobs").resolve(d.digest().algorithm()).resolve(d.digest().hex());
        if (!Files.isRegularFile(file)) {
            throw new ImageException(ImageException.Reason.INVALID, "OCI layout is missing blob " + d.digest());
        }
        try (InputStream in = Files.newInputStream(file)) {
            content.write(in, d.digest(), d.size());
        } catch (ContentStore.ContentMismatchException e) {
            throw new ImageException(ImageException.Reason.INVALID, "OCI layout blob " + d.digest() + ": " + e.getMessage(), e);
        }
        return d.size() <= 4 * 1024 * 1024 ? content.read(d.digest()) : null;
    }
}
