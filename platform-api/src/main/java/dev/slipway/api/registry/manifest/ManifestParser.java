package dev.slipway.api.registry.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.storage.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a pushed manifest's shape (Docker schema 2 manifest and manifest list, OCI manifest and index) and lists the
 * blobs or child manifests it references. Schema 1 is refused: it is deprecated and signs a different byte form.
 */
public final class ManifestParser {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final Set<String> MANIFESTS = Set.of(DOCKER_MANIFEST, OCI_MANIFEST);
    private static final Set<String> INDEXES = Set.of(DOCKER_LIST, OCI_INDEX);

    private final ObjectMapper json;

    public ManifestParser(ObjectMapper json) {
        this.json = json;
    }

    public ParsedManifest parse(byte[] content, String contentType) {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest must be a JSON object");
        }
        if (root.path("schemaVersion").asInt(-1) != 2) {
            throw invalid("only schemaVersion 2 manifests are accepted");
        }
        String declared = root.path("mediaType").asText(null);
        String sent = contentType == null ? null : stripParameters(contentType);
        // A generic Content-Type (application/json, octet-stream) defers to the manifest's own mediaType.
        String mediaType = sent != null && (MANIFESTS.contains(sent) || INDEXES.contains(sent)) ? sent : declared;
        if (mediaType == null) {
            mediaType = root.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
        }
        if (declared != null && !declared.equals(mediaType)) {
            throw invalid("Content-Type " + mediaType + " differs from the manifest's mediaType " + declared);
        }
        String subject = root.has("subject") ? descriptor(root.get("subject"), "subject").digest() : null;
        List<RegistryMetadata.Reference> refs = new ArrayList<>();
        if (MANIFESTS.contains(mediaType)) {
            if (!root.path("config").isObject()) {
                throw invalid("manifest has no config descriptor");
            }
            RegistryMetadata.Reference config = descriptor(root.get("config"), "config");
            refs.add(config);
            JsonNode layers = root.path("layers");
            if (!layers.isArray()) {
                throw invalid("manifest has no layers array");
            }
            for (int i = 0; i < layers.size(); i++) {
                refs.add(descriptor(layers.get(i), "layers[" + i + "]"));
            }
            String artifactType = root.path("artifactType").asText(null);
            if (artifactType == null && subject != null) {
                artifactType = config.mediaType();
            }
            return new ParsedManifest(mediaType, artifactType, subject, refs, false);
        }
        if (INDEXES.contains(mediaType)) {
            JsonNode manifests = root.path("manifests");
            if (!manifests.isArray()) {
                throw invalid("index has no manifests array");
            }
            for (int i = 0; i < manifests.size(); i++) {
                RegistryMetadata.Reference r = descriptor(manifests.get(i), "manifests[" + i + "]");
                refs.add(new RegistryMetadata.Reference(r.digest(), true, r.size(), r.mediaType()));
            }
            return new ParsedManifest(mediaType, root.path("artifactType").asText(null), subject, refs, true);
        }
        throw invalid("unsupported manifest media type " + mediaType);
    }

    private static RegistryMetadata.Reference descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw invalid(where + " is not a descriptor");
        }
        String digest = node.path("digest").asText(null);
        if (digest == null || !Digest.isDigest(digest)) {
            throw invalid(where + " has an invalid digest: " + digest);
        }
        JsonNode size = node.path("size");
        if (!size.canConvertToLong() || size.asLong() < 0) {
            throw invalid(where + " has an invalid size");
        }
        return new RegistryMetadata.Reference(digest, false, size.asLong(), node.path("mediaType").asText(null));
    }

    private static String stripParameters(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(RegistryError.MANIFEST_INVALID, message);
    }
}
