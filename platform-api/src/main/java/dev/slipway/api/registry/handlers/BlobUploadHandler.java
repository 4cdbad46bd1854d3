package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.RegistryChanges;
import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.RepositoryCache;
import dev.slipway.api.registry.auth.Action;
import dev.slipway.api.registry.auth.RegistryAuthenticator;
import dev.slipway.api.registry.auth.RepositoryNames;
import dev.slipway.api.registry.storage.BlobInfo;
import dev.slipway.api.registry.storage.BlobStore;
import dev.slipway.api.registry.storage.BlobStoreException;
import dev.slipway.api.registry.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob uploads, {@code /v2/<name>/blobs/uploads/}: POST starts one (or mounts a blob from another repository the
 * caller can read, or takes the whole blob at once with {@code ?digest=}); PATCH appends a chunk, which must start
 * where the upload ends ({@code 416} otherwise); PUT with {@code ?digest=} appends the last bytes and commits; GET
 * reports progress, so a client that lost its connection resumes; DELETE cancels. The upload's owner repository is
 * in PostgreSQL and its bytes in the blob store, so any replica can take any request.
 */
@ApplicationScoped
public class BlobUploadHandler {

    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes )?(\\d+)-(\\d+)(?:/\\d+|/\\*)?");

    @Inject
    RepositoryLookup repositories;

    @Inject
    RegistryAuthenticator auth;

    @Inject
    RegistryMetadata metadata;

    @Inject
    RegistryChanges changes;

    @Inject
    RepositoryCache repositoryCache;

    @Inject
    BlobStore store;

    public Response start(RegistryRequest request, InputStream body) {
        repositories.authorize(request, Action.PUSH);
        String mount = request.param("mount");
        String from = request.param("from");
        if (mount != null && from != null) {
            Response mounted = tryMount(request, BlobHandler.parse(mount), from);
            if (mounted != null) {
                return mounted;
            }
        }
        String digestParam = request.param("digest");
        String repository = request.repository();
        RegistryMetadata.Repository repo = repositoryCache.ensure(repository, RepositoryNames.tenantOf(repository));
        String id = store.beginUpload();
        if (digestParam != null) {
            Digest digest = BlobHandler.parse(digestParam);
            return commit(request, id, digest, body, 0);
        }
        metadata.createUpload(id, repo.id());
        return progress(request, id, 0, 202);
    }

    /** Links a blob from {@code from} if the caller may pull there and it is there; else null (upload instead). */
    private Response tryMount(RegistryRequest request, Digest digest, String from) {
        if (!RepositoryNames.valid(from) || !auth.actions(request.caller(), from).contains(Action.PULL)) {
            return null;
        }
        var source = repositoryCache.find(from);
        if (source.isEmpty()) {
            return null;
        }
        var size = metadata.linkedBlobSize(source.get().id(), digest.toString());
        if (size.isEmpty()) {
            return null;
        }
        changes.linkBlob(request.repository(), digest.toString(), size.get());
        return created(request, digest);
    }

    public Response append(RegistryRequest request, String id, InputStream body) {
        requireUpload(request, id);
        long size = uploadSize(id);
        long offset = size;
        String contentRange = request.header("Content-Range");
        if (contentRange != null) {
            Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
            if (!m.matches()) {
                throw new RegistryException(RegistryError.BLOB_UPLOAD_INVALID, "malformed Content-Range "
                        + contentRange);
            }
            offset = Long.parseLong(m.group(1));
            if (offset != size || Long.parseLong(m.group(2)) < offset) {
                throw outOfOrder(request, id, size, contentRange);
            }
        }
        try {
            size = store.append(id, offset, body);
        } catch (BlobStoreException e) {
            throw translate(e, request, id);
        }
        return progress(request, id, size, 202);
    }

    public Response finish(RegistryRequest request, String id, InputStream body) {
        String digestParam = request.param("digest");
        Digest digest;
        try {
            if (digestParam == null) {
                throw new RegistryException(RegistryError.DIGEST_INVALID, "the final PUT must carry ?digest=");
            }
            digest = BlobHandler.parse(digestParam);
        } catch (RegistryException e) {
            requireUpload(request, id); // an unknown upload is the first thing wrong, as for every other request
            throw e;
        }
        RegistryMetadata.Repository repo = repositories.require(request, Action.PUSH);
        // owner check and removal of the upload's row in one round trip: the commit below ends the upload either way
        if (!metadata.claimUpload(id, repo.id())) {
            throw new RegistryException(RegistryError.BLOB_UPLOAD_UNKNOWN, "upload " + id + " is not known");
        }
        return commit(request, id, digest, body, uploadSize(id));
    }

    public Response status(RegistryRequest request, String id) {
        requireUpload(request, id);
        return progress(request, id, uploadSize(id), 204);
    }

    public Response cancel(RegistryRequest request, String id) {
        requireUpload(request, id);
        store.abort(id);
        metadata.deleteUpload(id);
        return Responses.status(204).build();
    }

    private Response commit(RegistryRequest request, String id, Digest digest, InputStream body, long offset) {
        BlobInfo info;
        try {
            store.append(id, offset, body);
            info = store.commit(id, digest, -1);
        } catch (BlobStoreException e) {
            store.abort(id);
            throw translate(e, request, id);
        }
        changes.linkBlob(request.repository(), digest.toString(), info.size());
        return created(request, digest);
    }

    private void requireUpload(RegistryRequest request, String id) {
        RegistryMetadata.Repository repo = repositories.require(request, Action.PUSH);
        if (!metadata.uploadBelongsTo(id, repo.id())) {
            throw new RegistryException(RegistryError.BLOB_UPLOAD_UNKNOWN, "upload " + id + " is not known");
        }
    }

    private long uploadSize(String id) {
        try {
            return store.uploadSize(id);
        } catch (BlobStoreException e) {
            throw new RegistryException(RegistryError.BLOB_UPLOAD_UNKNOWN, "upload " + id + " is not known");
        }
    }

    private static Response created(RegistryRequest request, Digest digest) {
        return Responses.status(201)
                .header("Location", RepositoryLookup.location(request, "/blobs/" + digest))
                .header("Docker-Content-Digest", digest.toString())
                .header("Content-Length", 0)
                .build();
    }

    private static Response progress(RegistryRequest request, String id, long size, int status) {
        return Responses.status(status)
                .header("Location", RepositoryLookup.location(request, "/blobs/uploads/" + id))
                .header("Docker-Upload-UUID", id)
                .header("Range", range(size))
                .header("Content-Length", 0)
                .build();
    }

    private static String range(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    private static RegistryException outOfOrder(RegistryRequest request, String id, long size, String sent) {
        return new RegistryException(RegistryError.RANGE_INVALID, 416,
                "chunk " + sent + " does not start at the upload's end (" + size + " bytes received)",
                Map.of("received", size),
                Map.of("Range", range(size), "Location", RepositoryLookup.location(request, "/blobs/uploads/" + id),
                        "Docker-Upload-UUID", id));
    }

    private static RuntimeException translate(BlobStoreException e, RegistryRequest request, String id) {
        return switch (e.reason()) {
            case UPLOAD_UNKNOWN -> new RegistryException(RegistryError.BLOB_UPLOAD_UNKNOWN, e.getMessage());
            case OFFSET_MISMATCH -> new RegistryException(RegistryError.RANGE_INVALID, e.getMessage());
            case DIGEST_MISMATCH -> new RegistryException(RegistryError.DIGEST_INVALID, e.getMessage());
            case SIZE_MISMATCH -> new RegistryException(RegistryError.SIZE_INVALID, e.getMessage());
            default -> e;
        };
    }
}
