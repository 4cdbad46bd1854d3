package dev.slipway.api.registry.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.registry.RegistryChanges;
import dev.slipway.api.registry.RegistryConfig;
import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.RepositoryCache;
import dev.slipway.api.registry.auth.Action;
import dev.slipway.api.registry.auth.RepositoryNames;
import dev.slipway.api.registry.manifest.ManifestParser;
import dev.slipway.api.registry.manifest.ParsedManifest;
import dev.slipway.api.registry.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code HEAD|GET|PUT|DELETE /v2/<name>/manifests/<tag or digest>}. A pushed manifest is kept byte for byte with the
 * media type it was pushed with, and accepted only when every blob it names is in the repository and every child
 * manifest of an index is too.
 */
@ApplicationScoped
public class ManifestHandler {

    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    @Inject
    RepositoryLookup repositories;

    @Inject
    RegistryMetadata metadata;

    @Inject
    RegistryChanges changes;

    @Inject
    RepositoryCache repositoryCache;

    @Inject
    RegistryConfig config;

    @Inject
    ObjectMapper json;

    public Response get(RegistryRequest request, String reference, boolean headOnly) {
        RegistryMetadata.Repository repo = repositories.require(request, Action.PULL);
        String digest = resolve(repo, reference);
        RegistryMetadata.Manifest m = metadata.manifest(repo.id(), digest).orElseThrow(() -> unknown(reference));
        Response.ResponseBuilder r = Responses.status(200)
                .type(m.mediaType())
                .header("Docker-Content-Digest", m.digest())
                .header("ETag", "\"" + m.digest() + "\"")
                .header("Content-Length", m.content().length);
        if (!headOnly) {
            r.entity(m.content());
        }
        return r.build();
    }

    public Response put(RegistryRequest request, String reference, InputStream body) {
        repositories.authorize(request, Action.PUSH);
        byte[] content = readLimited(body);
        ParsedManifest parsed = new ManifestParser(json).parse(content, request.header("Content-Type"));
        String tag = null;
        Digest digest;
        if (Digest.isDigest(reference)) {
            Digest claimed = Digest.parse(reference);
            digest = Digest.of(claimed.algorithm(), content);
            if (!digest.equals(claimed)) {
                throw new RegistryException(RegistryError.DIGEST_INVALID,
                        "manifest content has digest " + digest + ", not " + claimed);
            }
        } else if (TAG.matcher(reference).matches()) {
            tag = reference;
            digest = Digest.sha256(content);
        } else {
            throw new RegistryException(RegistryError.MANIFEST_INVALID, "invalid tag " + reference);
        }
        RegistryMetadata.Repository repo = repositoryCache.find(request.repository()).orElse(null);
        Optional<RegistryMetadata.Reference> missing = repo == null
                ? parsed.references().stream().findFirst()
                : metadata.firstMissing(repo.id(), parsed.references());
        if (missing.isPresent()) {
            RegistryMetadata.Reference ref = missing.get();
            throw new RegistryException(RegistryError.MANIFEST_BLOB_UNKNOWN, 400,
                    (ref.isManifest() ? "manifest " : "blob ") + ref.digest() + " is not in repository "
                            + request.repository(), Map.of("digest", ref.digest()), Map.of());
        }
        if (repo == null) {
            repo = repositoryCache.ensure(request.repository(), RepositoryNames.tenantOf(request.repository()));
        }
        changes.pushManifest(repo, digest.toString(), content, parsed, tag, RepositoryLookup.actor(request));
        Response.ResponseBuilder r = Responses.status(201)
                .header("Location", RepositoryLookup.location(request, "/manifests/" + digest))
                .header("Docker-Content-Digest", digest.toString())
                .header("Content-Length", 0);
        if (parsed.subject() != null) {
            r.header("OCI-Subject", parsed.subject());
        }
        return r.build();
    }

    public Response delete(RegistryRequest request, String reference) {
        RegistryMetadata.Repository repo = repositories.require(request, Action.DELETE);
        boolean deleted = Digest.isDigest(reference)
                ? changes.deleteManifest(repo, reference, RepositoryLookup.actor(request))
                : changes.deleteTag(repo, reference, RepositoryLookup.actor(request));
        if (!deleted) {
            throw unknown(reference);
        }
        return Responses.status(202).build();
    }

    private String resolve(RegistryMetadata.Repository repo, String reference) {
        if (Digest.isDigest(reference)) {
            return reference;
        }
        return metadata.tagDigest(repo.id(), reference).orElseThrow(() -> unknown(reference));
    }

    private byte[] readLimited(InputStream body) {
        int max = config.maxManifestBytes();
        try {
            byte[] content = body.readNBytes(max + 1);
            if (content.length > max) {
                throw new RegistryException(RegistryError.SIZE_INVALID, 413,
                        "manifest exceeds the limit of " + max + " bytes", Map.of("limit", max), Map.of());
            }
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException("manifest upload broke off", e);
        }
    }

    private static RegistryException unknown(String reference) {
        return new RegistryException(RegistryError.MANIFEST_UNKNOWN, "manifest " + reference + " is not known");
    }
}
