package dev.slipway.api.registry.storage;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
