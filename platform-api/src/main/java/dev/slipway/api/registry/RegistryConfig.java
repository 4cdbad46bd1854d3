package dev.slipway.api.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** {@code slipway.registry.*}: storage backend, token lifetime, limits, quota and garbage collection. */
@ConfigMapping(prefix = "slipway.registry")
public interface RegistryConfig {

    /** {@code filesystem} (under {@code slipway.data-dir}/registry) or {@code s3}. */
    @WithDefault("filesystem")
    String storage();

    S3 s3();

    /** The {@code service} named in token challenges and checked in tokens. */
    @WithDefault("slipway")
    String service();

    @WithName("token-lifetime")
    @WithDefault("PT5M")
    Duration tokenLifetime();

    /** Largest accepted manifest; the spec asks registries to take at least 4 MiB. */
    @WithName("max-manifest-bytes")
    @WithDefault("4194304")
    int maxManifestBytes();

    /** Storage a tenant may use (bytes of unique blobs its repositories reference) unless set per tenant. */
    @WithName("default-quota-bytes")
    @WithDefault("10737418240")
    long defaultQuotaBytes();

    /**
     * How long this replica reuses a repository's id and visibility before reading them again; a visibility change
     * made through this replica takes effect at once. 0 turns it off.
     */
    @WithName("lookup-cache-ttl")
    @WithDefault("PT5S")
    Duration lookupCacheTtl();

    Gc gc();

    interface S3 {
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        @WithDefault("slipway-registry")
        String bucket();

        @WithName("access-key")
        Optional<String> accessKey();

        @WithName("secret-key")
        Optional<String> secretKey();
    }

    interface Gc {
        /** Untagged manifests and unreferenced blobs younger than this are kept: a push may still need them. */
        @WithDefault("PT1H")
        Duration grace();

        /** How often the scheduled collection runs. */
        @WithDefault("1h")
        String every();
    }
}
