package dev.slipway.engine.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {

    @TempDir
    Path root;

    private final byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void storesVerifiedBlobUnderItsDigestOnce() throws Exception {
        ContentStore store = new ContentStore(root);
        Digest digest = Digest.sha256(hello);
        assertEquals(digest, store.write(hello, digest));
        assertEquals(digest, store.write(hello, digest));
        assertArrayEquals(hello, store.read(digest));
        assertEquals(1, store.list().size());
        assertTrue(Files.isRegularFile(root.resolve("blobs/sha256/" + digest.hex())));
    }

    @Test
    void refusesWrongDigestOrSizeAndLeavesNothing() throws Exception {
        ContentStore store = new ContentStore(root);
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThrows(ContentStore.ContentMismatchException.class, () -> store.write(hello, other));
        Digest right = Digest.sha256(hello);
        assertThrows(ContentStore.ContentMismatchException.class,
                () -> store.write(new ByteArrayInputStream(hello), right, 4));
        assertTrue(store.list().isEmpty());
        try (var ingest = Files.list(root.resolve("ingest"))) {
            assertEquals(0, ingest.count());
        }
        assertFalse(store.contains(right));
    }

    @Test
    void acceptsSha512() throws Exception {
        ContentStore store = new ContentStore(root);
        Digest sha512 = Digest.of("sha512", Digest.newMessageDigest("sha512").digest(hello));
        assertEquals(sha512, store.write(hello, sha512));
        assertTrue(store.contains(sha512));
    }

    @Test
    void digestParsingRefusesPathLikeValues() {
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:" + HexFormat.of().formatHex(new byte[16])));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:ABC"));
    }
}
