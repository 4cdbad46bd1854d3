package dev.slipway.api.registry.storage;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Runs the contract against a real S3 server: s3proxy over jclouds' transient store, in this JVM, on loopback. */
class S3BlobStoreTest extends BlobStoreContractTest {

    private static S3Server server;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected BlobStore newStore() {
        bucket = "test-" + UUID.randomUUID().toString().substring(0, 8);
        return reopen();
    }

    @Override
    protected BlobStore reopen() {
        return new S3BlobStore(URI.create(server.endpoint()), "us-east-1", bucket, S3Server.ACCESS_KEY,
                S3Server.SECRET_KEY);
    }
}
