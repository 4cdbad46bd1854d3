package dev.slipway.api.workers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code slipway.workers.*}: timing of the worker stream and how workers reach this platform. */
@ConfigMapping(prefix = "slipway.workers")
public interface WorkersConfig {

    /** A worker not heard from for this long is marked lost and its instances are placed elsewhere. */
    @WithName("lost-after")
    @WithDefault("30s")
    Duration lostAfter();

    /**
     * How long the rows of a lost worker's replaced instances are kept (shown as {@code lost}) in case it comes
     * back; a removed worker's go at once.
     */
    @WithName("forget-after")
    @WithDefault("15m")
    Duration forgetAfter();

    /** How often a worker sends a heartbeat (told to it in {@code welcome}). */
    @WithDefault("5s")
    Duration heartbeat();

    /** How often a worker sends {@code stats} (told to it in {@code welcome}). */
    @WithName("stats-interval")
    @WithDefault("10s")
    Duration statsInterval();

    /** How often this replica looks for silent workers. */
    @WithName("lost-check-every")
    @WithDefault("2s")
    String lostCheckEvery();

    /** Safety net: how often every stream held here gets its assignments rebuilt even without an event. */
    @WithName("assign-every")
    @WithDefault("10s")
    String assignEvery();

    /**
     * The registry URL workers pull from, as they reach it. Unset: the scheme and host the worker itself used
     * to open its stream (the registry is served by the same API), which is right both for {@code ./slipway up}
     * and behind a load balancer.
     */
    @WithName("registry-url")
    Optional<String> registryUrl();

    /** When set, a join token for the local worker is created at start and written to this file (0600). */
    @WithName("bootstrap-token-file")
    Optional<Path> bootstrapTokenFile();

    /** Largest accepted body of {@code POST /worker/v1/join}. */
    @WithName("join-max-body-bytes")
    @WithDefault("16384")
    long joinMaxBodyBytes();

    /** Names this API replica in {@code workers.connected_to}; unset: host name plus a random suffix. */
    @WithName("replica-id")
    Optional<String> replicaId();
}
