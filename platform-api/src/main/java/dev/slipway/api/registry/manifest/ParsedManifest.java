package dev.slipway.api.registry.manifest;

import dev.slipway.api.registry.RegistryMetadata;
import java.util.List;

/** What the registry needs from a manifest: its media type, what it references, and its subject (for referrers). */
public record ParsedManifest(String mediaType, String artifactType, String subject,
        List<RegistryMetadata.Reference> references, boolean isIndex) {
}
