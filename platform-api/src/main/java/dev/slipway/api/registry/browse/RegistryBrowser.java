package dev.slipway.api.registry.browse;

import dev.slipway.api.registry.RegistryMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Builds the dashboard's views of repositories and tags from the registry metadata. */
@ApplicationScoped
public class RegistryBrowser {

    @Inject
    RegistryMetadata metadata;

    public List<RepositoryDetails.Summary> search(Collection<String> tenants, String query, int limit) {
        return metadata.visibleRepositories(tenants, query == null ? "" : query.toLowerCase(), null, limit).stream()
                .map(this::summary).toList();
    }

    public List<RepositoryDetails.Summary> ofTenant(String tenant) {
        return metadata.repositoriesOfTenant(tenant).stream().map(this::summary).toList();
    }

    public RepositoryDetails.Summary summary(RegistryMetadata.Repository r) {
        return new RepositoryDetails.Summary(r.name(), r.tenant(), visibility(r.isPublic()),
                metadata.tags(r.id(), null, 10_000).size(), r.createdAt());
    }

    public RepositoryDetails.Detail detail(RegistryMetadata.Repository r) {
        List<RepositoryDetails.TagInfo> tags = new ArrayList<>();
        for (RegistryMetadata.Tag t : metadata.tags(r.id(), null, 10_000)) {
            RegistryMetadata.Manifest m = metadata.manifest(r.id(), t.digest()).orElse(null);
            if (m == null) {
                continue;
            }
            List<RepositoryDetails.Layer> layers = new ArrayList<>();
            long size = m.content().length;
            for (RegistryMetadata.Reference ref : metadata.references(r.id(), m.digest())) {
                layers.add(new RepositoryDetails.Layer(ref.digest(), ref.size(), ref.mediaType()));
                size += ref.size();
            }
            tags.add(new RepositoryDetails.TagInfo(t.name(), m.digest(), m.mediaType(), size, t.updatedAt(),
                    t.updatedBy(), layers));
        }
        return new RepositoryDetails.Detail(r.name(), r.tenant(), visibility(r.isPublic()), r.createdAt(), tags);
    }

    static String visibility(boolean isPublic) {
        return isPublic ? "public" : "private";
    }
}
