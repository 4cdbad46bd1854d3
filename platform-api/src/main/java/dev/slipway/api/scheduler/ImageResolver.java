package dev.slipway.api.scheduler;

import dev.slipway.api.apps.ImageReference;
import dev.slipway.api.error.ApiException;
import dev.slipway.api.registry.RegistryMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns the image reference of a deployment into the manifest digest its instances will run, at deploy time, so a
 * release keeps running the same bytes however the tag moves later. Only Slipway's own registry is supported: a
 * reference without a host, or with the platform's registry host, names one of its repositories. A tenant deploys
 * from its own repositories and from public ones; another tenant's private repository is reported exactly like a
 * missing one, so a deployment never tells whether it exists.
 */
@ApplicationScoped
public class ImageResolver {

    @Inject
    RegistryMetadata registry;

    @ConfigProperty(name = "slipway.registry-host")
    String registryHost;

    /** The digest {@code image} resolves to for {@code tenant}; 400 IMAGE_REGISTRY_UNSUPPORTED / IMAGE_NOT_FOUND. */
    public String resolve(String tenant, String image) {
        ImageReference ref = ImageReference.parse("image", image);
        if (ref.host() != null && !ownHosts().contains(ref.host().toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest("IMAGE_REGISTRY_UNSUPPORTED", "image '" + image + "': Slipway runs images"
                    + " from its own registry only, not from " + ref.host() + "; push the image to " + registryHost
                    + "/" + tenant + "/<name>:<tag> (docker push, skopeo copy, podman push) and deploy that reference");
        }
        var repository = registry.repository(ref.repository())
                .filter(r -> r.tenant().equals(tenant) || r.isPublic());
        if (repository.isEmpty()) {
            throw notFound(image, "tenant '" + tenant + "' has no repository '" + ref.repository()
                    + "' and no public repository has that name; push it first (repositories are named <tenant>/<name>)");
        }
        long repositoryId = repository.get().id();
        if (ref.digest() != null) {
            if (!registry.manifestExists(repositoryId, ref.digest())) {
                throw notFound(image, "repository '" + ref.repository() + "' has no manifest " + ref.digest());
            }
            return ref.digest();
        }
        String tag = Optional.ofNullable(ref.tag()).orElse("latest");
        return registry.tagDigest(repositoryId, tag).orElseThrow(() -> notFound(image, "repository '"
                + ref.repository() + "' has no tag '" + tag + "'" + (ref.tag() == null ? " (no tag given)" : "")));
    }

    private Set<String> ownHosts() {
        return new HashSet<>(List.of(registryHost.toLowerCase(Locale.ROOT), "localhost:8080", "127.0.0.1:8080"));
    }

    private static ApiException notFound(String image, String why) {
        return ApiException.badRequest("IMAGE_NOT_FOUND", "image '" + image + "': " + why);
    }
}
