package dev.slipway.api.registry.browse;

import java.time.Instant;
import java.util.List;

/** Wire shapes of the registry's REST API for the dashboard. */
public final class RepositoryDetails {

    private RepositoryDetails() {
    }

    public record Summary(String name, String tenant, String visibility, int tagCount, Instant createdAt) {
    }

    public record Layer(String digest, long size, String mediaType) {
    }

    public record TagInfo(String name, String digest, String mediaType, long size, Instant pushedAt, String pushedBy,
            List<Layer> layers) {
    }

    public record Detail(String name, String tenant, String visibility, Instant createdAt, List<TagInfo> tags) {
    }

    public record Visibility(String visibility) {
    }
}
