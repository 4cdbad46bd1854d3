package dev.slipway.api.registry.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Content-addressed storage of registry blobs (layers, configs, manifests), shared by every API replica.
 *
 * <h2>Life of a blob</h2>
 * A blob is written through an <em>upload</em> and becomes visible only when the upload is committed:
 * <pre>
 *   beginUpload() ──► id                      an empty upload exists in the store's upload area
 *   append(id, 0, part1)     ──► size1        bytes are appended; each append must start at the current size,
 *   append(id, size1, part2) ──► size2        so a client that lost its connection asks {@link #uploadSize} and
 *                                              continues from there (any replica may take the next append)
 *   commit(id, digest, size) ──► BlobInfo     the store hashes what was appended, compares digest and size, and only
 *                                              then moves the bytes to their content address; the upload is gone
 *   abort(id)                                 instead of commit: the upload and its bytes are dropped
 * </pre>
 * A failed commit (wrong digest or size) drops the upload too, so nothing of it is ever readable. Committing the same
 * content twice, even concurrently from two replicas, is safe: both commits succeed and one copy is kept.
 *
 * <p>A committed blob is immutable: {@link #stat}, {@link #read} (whole or a byte range) until {@link #delete}.
 * {@link #list} walks all committed blobs with their commit time, which garbage collection uses to leave young blobs
 * alone (a manifest push may be about to reference them). {@link #listUploads} walks open uploads so stale ones can
 * be aborted.
 *
 * <p>The store knows nothing of repositories, tenants or sessions: which repository may see a blob and which upload
 * belongs to whom is recorded by the registry in PostgreSQL. Implementations are thread-safe.
 */
public interface BlobStore {

    /** Starts an empty upload and returns its id (URL-safe, unguessable). */
    String beginUpload();

    /**
     * Appends {@code data} (read to its end) to the upload, which must currently hold exactly {@code offset} bytes.
     *
     * @return the upload's size afterwards
     * @throws BlobStoreException {@code UPLOAD_UNKNOWN}, or {@code OFFSET_MISMATCH} (nothing is appended)
     */
    long append(String uploadId, long offset, InputStream data);

    /** The number of bytes appended so far; {@code UPLOAD_UNKNOWN} if there is no such upload. */
    long uploadSize(String uploadId);

    /**
     * Verifies the upload against {@code expected} and {@code expectedSize} ({@code -1}: any size) and makes it
     * readable under its digest. The upload ends whatever the outcome.
     *
     * @throws BlobStoreException {@code UPLOAD_UNKNOWN}, {@code DIGEST_MISMATCH} or {@code SIZE_MISMATCH}
     */
    BlobInfo commit(String uploadId, Digest expected, long expectedSize);

    /** Drops an upload and its bytes; does nothing if it does not exist. */
    void abort(String uploadId);

    /** The committed blob's size and commit time, or {@code null} if there is none. */
    BlobInfo stat(Digest digest);

    /**
     * Opens the committed blob from {@code offset} for {@code length} bytes ({@code -1}: to the end). The caller closes
     * the stream.
     *
     * @throws BlobStoreException {@code BLOB_UNKNOWN} or {@code RANGE_INVALID}
     */
    InputStream read(Digest digest, long offset, long length);

    /**
     * The committed blob as a file on this host, if the store keeps it in one: the HTTP layer then hands the file to
     * the kernel ({@code sendfile}) instead of copying its bytes through the JVM. Empty for stores without local files
     * and for unknown blobs. Callers only read the file.
     */
    default Optional<Path> localFile(Digest digest) {
        return Optional.empty();
    }

    /** Deletes a committed blob; returns whether it existed. */
    boolean delete(Digest digest);

    /** Calls {@code visitor} once for each committed blob. */
    void list(Consumer<BlobInfo> visitor);

    /** Calls {@code visitor} with the id and start time of each open upload. */
    void listUploads(java.util.function.BiConsumer<String, Instant> visitor);
}
