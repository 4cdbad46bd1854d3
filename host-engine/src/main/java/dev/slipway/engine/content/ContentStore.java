package dev.slipway.engine.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Blobs (layers, configs, manifests) by digest, stored once each.
 *
 * <h2>Lifecycle of a blob</h2>
 * <pre>
 *   write(stream, expected digest, size) ──► ingest/&lt;random&gt; (being written, invisible)
 *        ──digest and size verified──► blobs/&lt;alg&gt;/&lt;hex&gt; (visible, immutable) ──delete(digest)──► gone
 * </pre>
 * A blob is renamed into place only after its digest and size match, so a reader never sees a partial or
 * corrupt blob, and a crash leaves only files under {@code ingest/}, which {@link #ContentStore} clears.
 * Writing a blob that is already present reads and verifies the stream but stores nothing new. Thread-safe:
 * concurrent writers of the same blob each write their own temp file and the rename is atomic.
 *
 * <p>Layout under the root: {@code blobs/sha256/<hex>}, {@code blobs/sha512/<hex>}, {@code ingest/}.
 */
public final class ContentStore {

    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path root) throws IOException {
        this.blobs = root.resolve("blobs");
        this.ingest = root.resolve("ingest");
        Files.createDirectories(blobs);
        Files.createDirectories(ingest);
        clearIngest();
    }

    /** Why a write was refused: the content was not what its digest or size promised. */
    public static final class ContentMismatchException extends IOException {
        public ContentMismatchException(String message) {
            super(message);
        }
    }

    /**
     * Stores the stream's content if it hashes to {@code expected} (null: compute a sha256 digest and trust it)
     * and has {@code expectedSize} bytes (negative: any size). Returns the digest stored under.
     */
    public Digest write(InputStream in, Digest expected, long expectedSize) throws IOException {
        String algorithm = expected == null ? "sha256" : expected.algorithm();
        MessageDigest md = Digest.newMessageDigest(algorithm);
        Path temp = Files.createTempFile(ingest, "blob-", ".tmp");
        try {
            long size = 0;
            try (OutputStream out = Files.newOutputStream(temp)) {
                byte[] buffer = new byte[128 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    md.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    size += n;
                }
            }
            Digest actual = Digest.of(algorithm, md.digest());
            if (expected != null && !expected.equals(actual)) {
                throw new ContentMismatchException("content digest mismatch: expected " + expected + ", got " + actual);
            }
            if (expectedSize >= 0 && size != expectedSize) {
                throw new ContentMismatchException("content size mismatch for " + actual + ": expected "
                        + expectedSize + " bytes, got " + size);
            }
            Path target = path(actual);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("content store root must be on one filesystem", e);
                }
            }
            return actual;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Stores bytes already in memory (manifests, configs). */
    public Digest write(byte[] content, Digest expected) throws IOException {
        return write(new java.io.ByteArrayInputStream(content), expected, content.length);
    }

    public boolean contains(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex());
    }

    public InputStream open(Digest digest) throws IOException {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("blob " + digest + " is not in the content store");
        }
    }

    public byte[] read(Digest digest) throws IOException {
        try (InputStream in = open(digest)) {
            return in.readAllBytes();
        }
    }

    public long size(Digest digest) throws IOException {
        return Files.size(path(digest));
    }

    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    public List<Digest> list() throws IOException {
        List<Digest> result = new ArrayList<>();
        for (String algorithm : List.of("sha256", "sha512")) {
            Path dir = blobs.resolve(algorithm);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> result.add(new Digest(algorithm, f.getFileName().toString())));
            }
        }
        return result;
    }

    private void clearIngest() throws IOException {
        try (Stream<Path> files = Files.list(ingest)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
