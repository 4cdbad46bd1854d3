package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.auth.Action;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code GET /v2/<name>/tags/list?n=&last=}: tags in lexical order, with a {@code Link} to the next page. */
@ApplicationScoped
public class TagsHandler {

    @Inject
    RepositoryLookup repositories;

    @Inject
    RegistryMetadata metadata;

    public Response list(RegistryRequest request) {
        RegistryMetadata.Repository repo = repositories.require(request, Action.PULL);
        int n = Paging.limit(request);
        var tags = metadata.tags(repo.id(), request.param("last"), n).stream().map(RegistryMetadata.Tag::name).toList();
        Response.ResponseBuilder r = Responses.status(200).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("name", repo.name(), "tags", tags));
        if (n > 0 && tags.size() == n) {
            r.header("Link", Paging.next("/v2/" + repo.name() + "/tags/list", n, tags.get(tags.size() - 1)));
        }
        return r.build();
    }
}
