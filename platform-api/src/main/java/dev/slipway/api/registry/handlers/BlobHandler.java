package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.auth.Action;
import dev.slipway.api.registry.storage.BlobStore;
import dev.slipway.api.registry.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.PathPart;

/**
 * {@code HEAD|GET|DELETE /v2/<name>/blobs/<digest>}: a repository serves only the blobs pushed or mounted into it,
 * whole or as one byte range, streamed from the blob store.
 */
@ApplicationScoped
public class BlobHandler {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    @Inject
    RepositoryLookup repositories;

    @Inject
    RegistryMetadata metadata;

    @Inject
    BlobStore store;

    public Response get(RegistryRequest request, String digestText, boolean headOnly) {
        RegistryMetadata.Repository repo = repositories.require(request, Action.PULL);
        Digest digest = parse(digestText);
        long size = metadata.linkedBlobSize(repo.id(), digest.toString()).orElseThrow(() -> unknown(digest));
        long offset = 0;
        long length = size;
        int status = 200;
        String range = request.header("Range");
        if (range != null && !headOnly) {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches()) {
                throw new RegistryException(RegistryError.RANGE_INVALID, "unsupported Range " + range);
            }
            offset = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (offset >= size || end < offset) {
                throw new RegistryException(RegistryError.RANGE_INVALID, 416, "range " + range
                        + " outside blob of " + size + " bytes", java.util.Map.of(),
                        java.util.Map.of("Content-Range", "bytes */" + size));
            }
            length = end - offset + 1;
            status = 206;
        }
        Response.ResponseBuilder r = Responses.status(status)
                .header("Docker-Content-Digest", digest.toString())
                .header("Content-Length", length)
                .header("Accept-Ranges", "bytes")
                .header("ETag", "\"" + digest + "\"")
                .type("application/octet-stream");
        if (status == 206) {
            r.header("Content-Range", "bytes " + offset + "-" + (offset + length - 1) + "/" + size);
        }
        if (!headOnly) {
            var file = store.localFile(digest);
            // sendfile: the kernel copies file to socket, as distribution's http.ServeContent does
            r.entity(file.isPresent() ? new PathPart(file.get(), offset, length) : store.read(digest, offset, length));
        }
        return r.build();
    }

    public Response delete(RegistryRequest request, String digestText) {
        RegistryMetadata.Repository repo = repositories.require(request, Action.DELETE);
        Digest digest = parse(digestText);
        // Only the link goes; garbage collection removes the bytes once no repository links them.
        if (!metadata.unlinkBlob(repo.id(), digest.toString())) {
            throw unknown(digest);
        }
        return Responses.status(202).build();
    }

    static Digest parse(String text) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(RegistryError.DIGEST_INVALID, e.getMessage());
        }
    }

    private static RegistryException unknown(Digest d) {
        return new RegistryException(RegistryError.BLOB_UNKNOWN, "blob " + d + " is not in this repository");
    }
}
