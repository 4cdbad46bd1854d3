package dev.slipway.api.registry.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemBlobStoreTest extends BlobStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() throws Exception {
        return new FilesystemBlobStore(Files.createTempDirectory(dir, "store"));
    }

    @Override
    protected BlobStore reopen() {
        return new FilesystemBlobStore(((FilesystemBlobStore) store).root());
    }

    @Test
    void committedBlobsAreOfferedAsLocalFilesForSendfile() {
        byte[] content = random(5_000, 11);
        Digest d = Digest.sha256(content);
        String id = store.beginUpload();
        store.append(id, 0, new ByteArrayInputStream(content));
        store.commit(id, d, content.length);
        assertTrue(store.localFile(d).isPresent(), "the filesystem store serves blobs with sendfile");
    }
}
