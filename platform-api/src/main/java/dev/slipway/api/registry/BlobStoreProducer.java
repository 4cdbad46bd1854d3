package dev.slipway.api.registry;

import dev.slipway.api.registry.storage.BlobStore;
import dev.slipway.api.registry.storage.FilesystemBlobStore;
import dev.slipway.api.registry.storage.S3BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Chooses the blob store from configuration: the filesystem under the data dir by default, or S3. */
@ApplicationScoped
public class BlobStoreProducer {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(RegistryConfig config, @ConfigProperty(name = "slipway.data-dir") String dataDir) {
        if ("s3".equals(config.storage())) {
            RegistryConfig.S3 s3 = config.s3();
            return new S3BlobStore(URI.create(s3.endpoint().orElseThrow(
                    () -> new IllegalStateException("slipway.registry.s3.endpoint is required for S3 storage"))),
                    s3.region(), s3.bucket(), s3.accessKey().orElse(""), s3.secretKey().orElse(""));
        }
        if (!"filesystem".equals(config.storage())) {
            throw new IllegalStateException("slipway.registry.storage must be filesystem or s3, not " + config.storage());
        }
        return new FilesystemBlobStore(Path.of(dataDir, "registry"));
    }
}
