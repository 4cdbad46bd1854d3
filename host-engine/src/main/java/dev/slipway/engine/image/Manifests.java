package dev.slipway.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.content.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the manifests images travel with: OCI image manifests and indexes, Docker schema 2 manifests and
 * manifest lists. Schema 1 is refused (deprecated, unsigned content). Indexes resolve to linux/amd64.
 */
final class Manifests {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** The Accept header for a registry: every kind this class reads. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);

    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {
    }

    /** A content descriptor; {@code os}/{@code architecture} only in index entries. */
    record Descriptor(String mediaType, Digest digest, long size, String os, String architecture,
                      Map<String, String> annotations) {
    }

    /** Either an index ({@code manifests} set) or an image manifest ({@code config} and {@code layers} set). */
    record Parsed(String mediaType, List<Descriptor> manifests, Descriptor config, List<Descriptor> layers) {
        boolean isIndex() {
            return manifests != null;
        }
    }

    static Parsed parse(byte[] body, String contentType) throws ImageException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText(contentType == null ? "" : contentType);
        if (root.path("schemaVersion").asInt() == 1 || mediaType.contains("distribution.manifest.v1")) {
            throw invalid("Docker image manifest schema 1 is not supported");
        }
        if (root.has("manifests")) {
            List<Descriptor> manifests = new ArrayList<>();
            for (JsonNode m : root.get("manifests")) {
                manifests.add(descriptor(m));
            }
            return new Parsed(mediaType, manifests, null, null);
        }
        if (!root.has("config") || !root.path("layers").isArray()) {
            throw invalid("manifest has no config or layers");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : root.get("layers")) {
            Descriptor layer = descriptor(l);
            if (layer.mediaType() != null && layer.mediaType().contains("zstd")) {
                throw invalid("zstd-compressed layers are not supported: " + layer.digest());
            }
            if (layer.mediaType() != null && layer.mediaType().contains("foreign")) {
                throw invalid("foreign (non-distributable) layers are not supported: " + layer.digest());
            }
            layers.add(layer);
        }
        return new Parsed(mediaType, null, descriptor(root.get("config")), layers);
    }

    /** The linux/amd64 entry of an index (the only entry when it names no platform). */
    static Descriptor linuxAmd64(Parsed index) throws ImageException {
        for (Descriptor d : index.manifests()) {
            if ("linux".equals(d.os()) && "amd64".equals(d.architecture())) {
                return d;
            }
        }
        List<Descriptor> unlabelled = index.manifests().stream().filter(d -> d.os() == null).toList();
        if (unlabelled.size() == 1) {
            return unlabelled.get(0);
        }
        throw new ImageException(ImageException.Reason.NOT_FOUND,
                "no matching manifest for linux/amd64 in the manifest list entries");
    }

    private static Descriptor descriptor(JsonNode node) throws ImageException {
        Digest digest;
        try {
            digest = Digest.parse(node.path("digest").asText(null));
        } catch (IllegalArgumentException e) {
            throw invalid("descriptor has an invalid digest: " + node.path("digest").asText());
        }
        if (!node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
            throw invalid("descriptor " + digest + " has no valid size");
        }
        Map<String, String> annotations = new HashMap<>();
        node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        JsonNode platform = node.path("platform");
        return new Descriptor(node.path("mediaType").asText(null), digest, node.path("size").asLong(),
                platform.path("os").asText(null), platform.path("architecture").asText(null), annotations);
    }

    private static ImageException invalid(String message) {
        return new ImageException(ImageException.Reason.INVALID, message);
    }
}
