package dev.slipway.api.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Blobs as files: {@code <root>/blobs/<alg>/<first two hex>/<hex>}, uploads as {@code <root>/uploads/<id>}. A commit
 * renames the verified upload file onto its content address, which is atomic on one filesystem; several replicas can
 * share the root over a network filesystem that keeps rename atomic.
 */
public final class FilesystemBlobStore implements BlobStore {

    private static final int BUFFER = 256 * 1024;

    private final Path root;
    private final Path blobs;
    private final Path uploads;
    private final RunningDigests running = new RunningDigests();
    /** Serialises appends to one upload within this process; across replicas the registry's row lock does. */
    private final ConcurrentHashMap<String, Object> appendLocks = new ConcurrentHashMap<>();

    public FilesystemBlobStore(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create blob store under " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public String beginUpload() {
        String id = UploadIds.next();
        try {
            Files.createFile(uploads.resolve(id));
        } catch (IOException e) {
            throw backend("cannot start upload", e);
        }
        return id;
    }

    @Override
    public long append(String uploadId, long offset, InputStream data) {
        Path file = uploadFile(uploadId);
        synchronized (appendLocks.computeIfAbsent(uploadId, k -> new Object())) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                long size = ch.size();
                if (size != offset) {
                    throw new BlobStoreException(BlobStoreException.Reason.OFFSET_MISMATCH,
                            "upload holds " + size + " bytes, append starts at " + offset);
                }
                MessageDigest md = running.forAppend(uploadId, offset);
                ch.position(size);
                long written = copy(data, Channels.newOutputStream(ch), md);
                running.appended(uploadId, md, size + written);
                return size + written;
            } catch (NoSuchFileException e) {
                throw unknownUpload(uploadId);
            } catch (IOException e) {
                // A broken connection mid-append leaves the bytes that did arrive: the client resumes from there.
                running.forget(uploadId);
                throw backend("append to upload " + uploadId + " failed", e);
            }
        }
    }

    @Override
    public long uploadSize(String uploadId) {
        try {
            return Files.size(uploadFile(uploadId));
        } catch (NoSuchFileException e) {
            throw unknownUpload(uploadId);
        } catch (IOException e) {
            throw backend("cannot stat upload", e);
        }
    }

    @Override
    public BlobInfo commit(String uploadId, Digest expected, long expectedSize) {
        Path file = uploadFile(uploadId);
        try {
            long size = Files.size(file);
            if (expectedSize >= 0 && size != expectedSize) {
                throw new BlobStoreException(BlobStoreException.Reason.SIZE_MISMATCH,
                        "upload holds " + size + " bytes, expected " + expectedSize);
            }
            Digest actual = running.finish(uploadId, expected.algorithm(), size);
            if (actual == null) {
                actual = hashFile(file, expected.algorithm());
            }
            if (!actual.equals(expected)) {
                throw new BlobStoreException(BlobStoreException.Reason.DIGEST_MISMATCH,
                        "content has digest " + actual + ", not " + expected);
            }
            Path target = blobPath(expected);
            Files.createDirectories(target.getParent());
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Some filesystems refuse to replace: the same content is already there, which is what we wanted.
                Files.deleteIfExists(file);
                touch(target);
            }
            return new BlobInfo(expected, size, Files.getLastModifiedTime(target).toInstant());
        } catch (NoSuchFileException e) {
            throw unknownUpload(uploadId);
        } catch (IOException e) {
            throw backend("commit of upload " + uploadId + " failed", e);
        } finally {
            running.forget(uploadId);
            appendLocks.remove(uploadId);
            deleteQuietly(file);
        }
    }

    @Override
    public void abort(String uploadId) {
        UploadIds.check(uploadId);
        running.forget(uploadId);
        appendLocks.remove(uploadId);
        deleteQuietly(uploads.resolve(uploadId));
    }

    @Override
    public BlobInfo stat(Digest digest) {
        try {
            BasicFileAttributes a = Files.readAttributes(blobPath(digest), BasicFileAttributes.class);
            return new BlobInfo(digest, a.size(), a.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw backend("cannot stat " + digest, e);
        }
    }

    @Override
    public InputStream read(Digest digest, long offset, long length) {
        Path file = blobPath(digest);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            if (offset < 0 || offset > size || (length >= 0 && offset + length > size)) {
                ch.close();
                throw new BlobStoreException(BlobStoreException.Reason.RANGE_INVALID,
                        "range " + offset + "+" + length + " outside blob of " + size + " bytes");
            }
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            return length < 0 ? in : new BoundedInputStream(in, length);
        } catch (NoSuchFileException e) {
            throw new BlobStoreException(BlobStoreException.Reason.BLOB_UNKNOWN, "blob unknown: " + digest);
        } catch (IOException e) {
            throw backend("cannot read " + digest, e);
        }
    }

    @Override
    public Optional<Path> localFile(Digest digest) {
        Path file = blobPath(digest);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public boolean delete(Digest digest) {
        try {
            return Files.deleteIfExists(blobPath(digest));
        } catch (IOException e) {
            throw backend("cannot delete " + digest, e);
        }
    }

    @Override
    public void list(Consumer<BlobInfo> visitor) {
        for (Digest.Algorithm alg : Digest.Algorithm.values()) {
            Path dir = blobs.resolve(alg.wire());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir, 2)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    try {
                        Digest d = new Digest(alg, f.getFileName().toString());
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                        visitor.accept(new BlobInfo(d, a.size(), a.lastModifiedTime().toInstant()));
                    } catch (IllegalArgumentException | IOException ignored) {
                        // not a blob (or deleted while walking)
                    }
                });
            } catch (IOException e) {
                throw backend("cannot list blobs", e);
            }
        }
    }

    @Override
    public void listUploads(BiConsumer<String, Instant> visitor) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(uploads)) {
            for (Path p : ds) {
                try {
                    visitor.accept(p.getFileName().toString(), Files.getLastModifiedTime(p).toInstant());
                } catch (NoSuchFileException ignored) {
                    // committed meanwhile
                }
            }
        } catch (IOException e) {
            throw backend("cannot list uploads", e);
        }
    }

    private Path uploadFile(String uploadId) {
        UploadIds.check(uploadId);
        return uploads.resolve(uploadId);
    }

    private Path blobPath(Digest d) {
        return blobs.resolve(d.algorithm().wire()).resolve(d.hex().substring(0, 2)).resolve(d.hex());
    }

    private static Digest hashFile(Path file, Digest.Algorithm alg) throws IOException {
        MessageDigest md = alg.newMessageDigest();
        try (InputStream in = Files.newInputStream(file)) {
            copy(in, OutputStream.nullOutputStream(), md);
        }
        return Digest.finish(alg, md);
    }

    static long copy(InputStream in, OutputStream out, MessageDigest md) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        int n;
        // An HTTP body stream returns one network chunk (a few KiB) per read: fill the buffer first, so that each
        // write and digest update handles a large block.
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
            if (md != null) {
                md.update(buf, 0, n);
            }
            total += n;
        }
        return total;
    }

    private static void touch(Path target) throws IOException {
        // A re-pushed blob counts as young again, so garbage collection keeps it for the push that needs it.
        Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the upload area is swept by garbage collection
        }
    }

    private static BlobStoreException unknownUpload(String id) {
        return new BlobStoreException(BlobStoreException.Reason.UPLOAD_UNKNOWN, "unknown upload " + id);
    }

    private static BlobStoreException backend(String message, IOException e) {
        return new BlobStoreException(BlobStoreException.Reason.BACKEND, message + ": " + e.getMessage(), e);
    }
}
