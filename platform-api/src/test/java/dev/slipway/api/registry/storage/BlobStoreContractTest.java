package dev.slipway.api.registry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link BlobStore} must have; each implementation's test extends this class. */
public abstract class BlobStoreContractTest {

    protected BlobStore store;

    /** A fresh, empty store. */
    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    private byte[] readAll(Digest d, long offset, long length) throws IOException {
        try (InputStream in = store.read(d, offset, length)) {
            return in.readAllBytes();
        }
    }

    @Test
    void committedUploadIsReadableWholeAndByRange() throws Exception {
        byte[] content = random(100_000, 1);
        Digest d = Digest.sha256(content);
        String id = store.beginUpload();
        assertEquals(content.length, store.append(id, 0, in(content)));
        BlobInfo info = store.commit(id, d, content.length);
        assertEquals(d, info.digest());
        assertEquals(content.length, info.size());
        assertArrayEquals(content, readAll(d, 0, -1));
        byte[] range = readAll(d, 1000, 500);
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 1000, 1500), range);
        assertEquals(content.length, store.stat(d).size());
    }

    @Test
    void aLocalFileIfOfferedHoldsExactlyTheBlob() throws Exception {
        byte[] content = random(70_000, 9);
        Digest d = Digest.sha256(content);
        String id = store.beginUpload();
        store.append(id, 0, in(content));
        store.commit(id, d, content.length);
        store.localFile(d).ifPresent(f -> assertArrayEquals(content, assertDoesNotThrow(() -> Files.readAllBytes(f))));
        assertTrue(store.localFile(Digest.sha256(random(10, 10))).isEmpty(), "an unknown blob has no file");
    }

    @Test
    void chunksAppendInOrderAndResumeFromTheReportedSize() throws Exception {
        byte[] content = random(30_000, 2);
        Digest d = Digest.sha256(content);
        String id = store.beginUpload();
        long size = store.append(id, 0, in(java.util.Arrays.copyOfRange(content, 0, 10_000)));
        // A fresh store instance stands for another replica continuing the same upload.
        BlobStore other = reopen();
        assertEquals(10_000, other.uploadSize(id));
        size = other.append(id, size, in(java.util.Arrays.copyOfRange(content, 10_000, 25_000)));
        size = store.append(id, size, in(java.util.Arrays.copyOfRange(content, 25_000, 30_000)));
        assertEquals(30_000, size);
        store.commit(id, d, -1);
        assertArrayEquals(content, readAll(d, 0, -1));
    }

    @Test
    void appendAtTheWrongOffsetIsRefusedAndAppendsNothing() {
        String id = store.beginUpload();
        store.append(id, 0, in(new byte[100]));
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.append(id, 50, in(new byte[10])));
        assertEquals(BlobStoreException.Reason.OFFSET_MISMATCH, e.reason());
        e = assertThrows(BlobStoreException.class, () -> store.append(id, 200, in(new byte[10])));
        assertEquals(BlobStoreException.Reason.OFFSET_MISMATCH, e.reason());
        assertEquals(100, store.uploadSize(id));
    }

    @Test
    void wrongDigestOrSizeMakesNothingVisibleAndEndsTheUpload() {
        byte[] content = random(5000, 3);
        Digest claimed = Digest.sha256("something else".getBytes());
        String id = store.beginUpload();
        store.append(id, 0, in(content));
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.commit(id, claimed, -1));
        assertEquals(BlobStoreException.Reason.DIGEST_MISMATCH, e.reason());
        assertNull(store.stat(claimed));
        assertNull(store.stat(Digest.sha256(content)));
        assertEquals(BlobStoreException.Reason.UPLOAD_UNKNOWN,
                assertThrows(BlobStoreException.class, () -> store.uploadSize(id)).reason());

        String id2 = store.beginUpload();
        store.append(id2, 0, in(content));
        e = assertThrows(BlobStoreException.class, () -> store.commit(id2, Digest.sha256(content), 4999));
        assertEquals(BlobStoreException.Reason.SIZE_MISMATCH, e.reason());
        assertNull(store.stat(Digest.sha256(content)));
    }

    @Test
    void sha512DigestsAreVerified() throws Exception {
        byte[] content = random(2000, 4);
        Digest d = Digest.of(Digest.Algorithm.SHA512, content);
        String id = store.beginUpload();
        store.append(id, 0, in(content));
        store.commit(id, d, content.length);
        assertArrayEquals(content, readAll(d, 0, -1));
    }

    @Test
    void emptyBlobCanBeCommitted() throws Exception {
        Digest d = Digest.sha256(new byte[0]);
        String id = store.beginUpload();
        store.commit(id, d, 0);
        assertEquals(0, store.stat(d).size());
        assertEquals(0, readAll(d, 0, -1).length);
    }

    @Test
    void abortDropsTheUpload() {
        String id = store.beginUpload();
        store.append(id, 0, in(new byte[10]));
        store.abort(id);
        assertEquals(BlobStoreException.Reason.UPLOAD_UNKNOWN,
                assertThrows(BlobStoreException.class, () -> store.append(id, 10, in(new byte[1]))).reason());
        Set<String> open = new HashSet<>();
        store.listUploads((u, t) -> open.add(u));
        assertFalse(open.contains(id));
    }

    @Test
    void unknownOrMalformedUploadIdsAreRefused() {
        assertEquals(BlobStoreException.Reason.UPLOAD_UNKNOWN,
                assertThrows(BlobStoreException.class, () -> store.uploadSize("0123456789abcdef0123456789abcdef"))
                        .reason());
        assertEquals(BlobStoreException.Reason.UPLOAD_UNKNOWN,
                assertThrows(BlobStoreException.class, () -> store.uploadSize("../../etc")).reason());
    }

    @Test
    void missingBlobAndBadRange() {
        Digest d = Digest.sha256("absent".getBytes());
        assertNull(store.stat(d));
        assertEquals(BlobStoreException.Reason.BLOB_UNKNOWN,
                assertThrows(BlobStoreException.class, () -> store.read(d, 0, -1)).reason());
        byte[] content = random(100, 5);
        String id = store.beginUpload();
        store.append(id, 0, in(content));
        Digest real = store.commit(id, Digest.sha256(content), 100).digest();
        assertEquals(BlobStoreException.Reason.RANGE_INVALID,
                assertThrows(BlobStoreException.class, () -> store.read(real, 90, 20)).reason());
    }

    @Test
    void concurrentCommitsOfTheSameContentBothSucceed() throws Exception {
        byte[] content = random(300_000, 6);
        Digest d = Digest.sha256(content);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<BlobInfo>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<BlobInfo> push = () -> {
                    String id = store.beginUpload();
                    store.append(id, 0, in(content));
                    return store.commit(id, d, content.length);
                };
                results.add(pool.submit(push));
            }
            for (Future<BlobInfo> f : results) {
                assertEquals(d, f.get().digest());
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(content, readAll(d, 0, -1));
        List<BlobInfo> listed = new ArrayList<>();
        store.list(listed::add);
        assertEquals(1, listed.stream().filter(b -> b.digest().equals(d)).count());
    }

    @Test
    void deleteAndList() {
        byte[] a = random(10, 7);
        byte[] b = random(20, 8);
        for (byte[] c : List.of(a, b)) {
            String id = store.beginUpload();
            store.append(id, 0, in(c));
            store.commit(id, Digest.sha256(c), c.length);
        }
        Set<Digest> listed = new HashSet<>();
        store.list(i -> listed.add(i.digest()));
        assertEquals(Set.of(Digest.sha256(a), Digest.sha256(b)), listed);
        assertTrue(store.delete(Digest.sha256(a)));
        assertFalse(store.delete(Digest.sha256(a)));
        assertNull(store.stat(Digest.sha256(a)));
        assertNotNull(store.stat(Digest.sha256(b)));
    }

    @Test
    void openUploadsAreListed() {
        String id = store.beginUpload();
        Set<String> open = new HashSet<>();
        store.listUploads((u, t) -> open.add(u));
        assertTrue(open.contains(id));
    }

    /** A second instance over the same storage (another replica). */
    protected abstract BlobStore reopen() throws Exception;
}
