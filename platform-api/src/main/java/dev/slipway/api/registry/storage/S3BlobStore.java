package dev.slipway.api.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Blobs in an S3-compatible bucket: {@code blobs/<alg>/<hex>} for committed blobs, and for each upload a marker
 * {@code uploads/<id>/begun} plus one staged object per appended piece, {@code uploads/<id>/<offset, 19 digits>}.
 * Pieces are at most {@link #PIECE} bytes, so an append of unknown length (chunked transfer) is held in memory one
 * piece at a time, never whole. Because all upload state lives in the bucket, any replica can take the next append.
 *
 * <p>Commit hashes the pieces in order while streaming them into one staged object, and only when digest and size
 * match copies that object to the blob's key (S3 PUT and COPY are atomic per object: readers see the whole blob or
 * nothing). A single-piece upload whose hash this process already knows is copied without being read back.
 */
public final class S3BlobStore implements BlobStore {

    static final int PIECE = 8 * 1024 * 1024;

    private final S3Client s3;
    private final RunningDigests running = new RunningDigests();

    public S3BlobStore(URI endpoint, String region, String bucket, String accessKey, String secretKey) {
        this.s3 = new S3Client(endpoint, region, bucket, accessKey, secretKey);
        s3.createBucketIfMissing();
    }

    @Override
    public String beginUpload() {
        String id = UploadIds.next();
        s3.put(marker(id), new byte[0], 0);
        return id;
    }

    @Override
    public long append(String uploadId, long offset, InputStream data) {
        List<S3Client.S3Object> pieces = pieces(uploadId);
        long size = pieces.stream().mapToLong(S3Client.S3Object::size).sum();
        if (size != offset) {
            throw new BlobStoreException(BlobStoreException.Reason.OFFSET_MISMATCH,
                    "upload holds " + size + " bytes, append starts at " + offset);
        }
        MessageDigest md = running.forAppend(uploadId, offset);
        byte[] buf = new byte[PIECE];
        try {
            while (true) {
                int n = data.readNBytes(buf, 0, PIECE);
                if (n == 0) {
                    break;
                }
                s3.put(pieceKey(uploadId, size), buf, n);
                if (md != null) {
                    md.update(buf, 0, n);
                }
                size += n;
                if (n < PIECE) {
                    break;
                }
            }
        } catch (IOException e) {
            // Pieces already stored stay: the client asks for the size and resumes from there.
            running.forget(uploadId);
            throw new BlobStoreException(BlobStoreException.Reason.BACKEND, "append interrupted: " + e, e);
        }
        running.appended(uploadId, md, size);
        return size;
    }

    @Override
    public long uploadSize(String uploadId) {
        return pieces(uploadId).stream().mapToLong(S3Client.S3Object::size).sum();
    }

    @Override
    public BlobInfo commit(String uploadId, Digest expected, long expectedSize) {
        try {
            List<S3Client.S3Object> pieces = pieces(uploadId);
            long size = pieces.stream().mapToLong(S3Client.S3Object::size).sum();
            if (expectedSize >= 0 && size != expectedSize) {
                throw new BlobStoreException(BlobStoreException.Reason.SIZE_MISMATCH,
                        "upload holds " + size + " bytes, expected " + expectedSize);
            }
            Digest known = running.finish(uploadId, expected.algorithm(), size);
            String source;
            if (known != null && pieces.size() == 1) {
                checkDigest(known, expected);
                source = pieces.get(0).key();
            } else if (known != null && pieces.isEmpty()) {
                checkDigest(known, expected);
                source = pieceKey(uploadId, 0);
                s3.put(source, new byte[0], 0);
            } else {
                source = "uploads/" + uploadId + "/assembled";
                MessageDigest md = expected.algorithm().newMessageDigest();
                s3.putStream(source, () -> new DigestInputStream(concatenation(pieces), md), size);
                checkDigest(Digest.finish(expected.algorithm(), md), expected);
            }
            s3.copy(source, blobKey(expected));
            S3Client.S3Object stored = s3.head(blobKey(expected));
            return new BlobInfo(expected, size, stored == null ? Instant.now() : stored.lastModified());
        } finally {
            abort(uploadId);
        }
    }

    @Override
    public void abort(String uploadId) {
        UploadIds.check(uploadId);
        running.forget(uploadId);
        for (S3Client.S3Object o : s3.list("uploads/" + uploadId + "/")) {
            s3.delete(o.key());
        }
    }

    @Override
    public BlobInfo stat(Digest digest) {
        S3Client.S3Object o = s3.head(blobKey(digest));
        return o == null ? null : new BlobInfo(digest, o.size(), o.lastModified());
    }

    @Override
    public InputStream read(Digest digest, long offset, long length) {
        BlobInfo info = stat(digest);
        if (info == null) {
            throw new BlobStoreException(BlobStoreException.Reason.BLOB_UNKNOWN, "blob unknown: " + digest);
        }
        if (offset < 0 || offset > info.size() || (length >= 0 && offset + length > info.size())) {
            throw new BlobStoreException(BlobStoreException.Reason.RANGE_INVALID,
                    "range " + offset + "+" + length + " outside blob of " + info.size() + " bytes");
        }
        if (length == 0 || offset == info.size()) {
            return InputStream.nullInputStream();
        }
        InputStream in = s3.get(blobKey(digest), offset, length);
        if (in == null) {
            throw new BlobStoreException(BlobStoreException.Reason.BLOB_UNKNOWN, "blob unknown: " + digest);
        }
        return in;
    }

    @Override
    public boolean delete(Digest digest) {
        boolean existed = s3.head(blobKey(digest)) != null;
        s3.delete(blobKey(digest));
        return existed;
    }

    @Override
    public void list(Consumer<BlobInfo> visitor) {
        for (S3Client.S3Object o : s3.list("blobs/")) {
            String[] parts = o.key().split("/");
            if (parts.length == 3 && Digest.isDigest(parts[1] + ":" + parts[2])) {
                visitor.accept(new BlobInfo(Digest.parse(parts[1] + ":" + parts[2]), o.size(), o.lastModified()));
            }
        }
    }

    @Override
    public void listUploads(BiConsumer<String, Instant> visitor) {
        for (S3Client.S3Object o : s3.list("uploads/")) {
            String[] parts = o.key().split("/");
            if (parts.length == 3 && parts[2].equals("begun")) {
                visitor.accept(parts[1], o.lastModified());
            }
        }
    }

    private List<S3Client.S3Object> pieces(String uploadId) {
        UploadIds.check(uploadId);
        List<S3Client.S3Object> all = s3.list("uploads/" + uploadId + "/");
        if (all.stream().noneMatch(o -> o.key().endsWith("/begun"))) {
            throw new BlobStoreException(BlobStoreException.Reason.UPLOAD_UNKNOWN, "unknown upload " + uploadId);
        }
        // Piece keys are zero-padded offsets, so key order is offset order.
        return all.stream().filter(o -> o.key().matches(".*/[0-9]{19}")).toList();
    }

    private InputStream concatenation(List<S3Client.S3Object> pieces) {
        Iterator<S3Client.S3Object> it = pieces.iterator();
        // Pieces are opened lazily, one at a time, so only one connection is held.
        return new SequenceInputStream(new Enumeration<InputStream>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return s3.get(it.next().key(), 0, -1);
            }
        });
    }

    private static void checkDigest(Digest actual, Digest expected) {
        if (!actual.equals(expected)) {
            throw new BlobStoreException(BlobStoreException.Reason.DIGEST_MISMATCH,
                    "content has digest " + actual + ", not " + expected);
        }
    }

    private static String marker(String id) {
        return "uploads/" + id + "/begun";
    }

    private static String pieceKey(String id, long offset) {
        return "uploads/" + id + "/" + String.format("%019d", offset);
    }

    private static String blobKey(Digest d) {
        return "blobs/" + d.algorithm().wire() + "/" + d.hex();
    }
}
