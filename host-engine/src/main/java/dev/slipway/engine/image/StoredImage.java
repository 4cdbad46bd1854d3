package dev.slipway.engine.image;

import java.time.Instant;
import java.util.List;

/**
 * What the store keeps per image on disk: the public {@link Image} fields with normalised names, plus the
 * snapshots ({@code chainIds}, bottom first) and blobs it holds, so removal can collect exactly what is no
 * longer used by any other image.
 */
record StoredImage(String id, List<String> repoTags, List<String> repoDigests, List<String> diffIds,
                   List<String> chainIds, List<String> blobs, String created, long size, Image.Config config) {

    Image toImage() {
        return new Image(id, repoTags.stream().map(ImageReference::familiar).toList(),
                repoDigests.stream().map(ImageReference::familiar).toList(), diffIds,
                createdInstant(), size, config);
    }

    private Instant createdInstant() {
        try {
            return created == null ? Instant.EPOCH : Instant.parse(created);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    StoredImage withNames(List<String> tags, List<String> digests) {
        return new StoredImage(id, List.copyOf(tags), List.copyOf(digests), diffIds, chainIds, blobs, created,
                size, config);
    }

    String topChainId() {
        return chainIds.isEmpty() ? null : chainIds.get(chainIds.size() - 1);
    }
}
