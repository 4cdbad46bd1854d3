package dev.slipway.engine.image;

import dev.slipway.engine.content.Digest;
import java.util.List;

/**
 * One image found in an archive or a registry, its blobs already verified in the content store, ready to be
 * unpacked and recorded.
 *
 * @param config      config blob digest (the image id)
 * @param layers      layer blob digests, bottom first (compressed or not, as stored)
 * @param manifests   manifest and index blobs that belong to it (kept with the image, collected with it)
 * @param repoTags    normalised {@code name:tag}s to give it
 * @param repoDigests normalised {@code name@digest}s to give it
 */
record ArchiveImage(Digest config, List<Digest> layers, List<Digest> manifests, List<String> repoTags,
                    List<String> repoDigests) {
}
