package dev.slipway.api.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.auth.Action;
import dev.slipway.api.registry.manifest.ManifestParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/<name>/referrers/<digest>?artifactType=}: an OCI index of the manifests whose {@code subject} is that
 * digest (signatures, SBOMs, attestations), each with its artifact type and annotations.
 */
@ApplicationScoped
public class ReferrersHandler {

    @Inject
    RepositoryLookup repositories;

    @Inject
    RegistryMetadata metadata;

    @Inject
    ObjectMapper json;

    public Response list(RegistryRequest request, String digestText) {
        RegistryMetadata.Repository repo = repositories.require(request, Action.PULL);
        String digest = BlobHandler.parse(digestText).toString();
        String artifactType = request.param("artifactType");
        List<Map<String, Object>> descriptors = new ArrayList<>();
        for (RegistryMetadata.Manifest m : metadata.referrers(repo.id(), digest, artifactType)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("mediaType", m.mediaType());
            d.put("digest", m.digest());
            d.put("size", m.content().length);
            if (m.artifactType() != null) {
                d.put("artifactType", m.artifactType());
            }
            try {
                JsonNode annotations = json.readTree(m.content()).path("annotations");
                if (annotations.isObject()) {
                    d.put("annotations", annotations);
                }
            } catch (IOException e) {
                // stored manifests were parsed on push; nothing to add
            }
            descriptors.add(d);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", ManifestParser.OCI_INDEX);
        index.put("manifests", descriptors);
        Response.ResponseBuilder r = Responses.status(200).type(ManifestParser.OCI_INDEX).entity(index);
        if (artifactType != null) {
            r.header("OCI-Filters-Applied", "artifactType");
        }
        return r.build();
    }
}
