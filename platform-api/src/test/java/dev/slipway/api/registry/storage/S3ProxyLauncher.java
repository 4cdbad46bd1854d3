package dev.slipway.api.registry.storage;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;

/**
 * Starts s3proxy over jclouds' in-memory store. Loaded only inside {@link S3Server}'s isolated class loader, because
 * the test class path also holds Maven's Guice 5, which jclouds' Guice 7 code cannot run on.
 */
public final class S3ProxyLauncher {

    private S3ProxyLauncher() {
    }

    public static AutoCloseable launch(String endpoint, String accessKey, String secretKey) throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder(new TransientApiMetadata())
                .credentials("identity", "credential").overrides(new Properties()).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create(endpoint))
                .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        return () -> {
            proxy.stop();
            context.close();
        };
    }
}
