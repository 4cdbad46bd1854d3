package dev.slipway.engine;

import dev.slipway.engine.agent.Agent;
import dev.slipway.engine.agent.logs.LogShipper;
import dev.slipway.engine.config.EngineConfig;
import dev.slipway.engine.container.Engine;
import dev.slipway.engine.container.EngineParts;
import dev.slipway.engine.image.LocalImageStore;
import dev.slipway.engine.network.BridgeConfig;
import dev.slipway.engine.network.BridgeNetworking;
import dev.slipway.engine.network.Ipv4Subnet;
import dev.slipway.engine.runtime.LinuxContainerRuntime;
import dev.slipway.engine.runtime.LogFileReader;
import dev.slipway.engine.snapshot.Snapshotter;
import dev.slipway.engine.snapshot.Snapshotters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * Runs the engine alone: {@code java --enable-native-access=ALL-UNNAMED -jar host-engine.jar --socket <path>
 * --data-dir <dir>}. Serves the Docker API until SIGTERM/SIGINT; containers keep running when it stops. With
 * {@code --api <url>} it also runs the worker agent that joins that platform and runs what it assigns.
 *
 * <p>Whether the platform's instances outlive the engine is decided when it stops, not when it starts: if the
 * file {@code <data-dir>/agent/stop-workloads} exists at SIGTERM (the launcher's {@code down} writes it), the
 * agent stops and removes them first; otherwise they keep running for the next engine to adopt.
 */
public final class EngineMain {

    private static final Logger LOG = Logger.getLogger(EngineMain.class.getName());

    private EngineMain() {
    }

    public static void main(String[] args) throws Exception {
        EngineConfig config;
        try {
            config = EngineConfig.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("slipway engine: " + e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(config.dataDir());
        Snapshotter snapshots = Snapshotters.forHost(config.dataDir());
        LocalImageStore images = new LocalImageStore(config.dataDir().resolve("images"), snapshots);
        Path stopWorkloads = config.dataDir().resolve("agent").resolve(STOP_WORKLOADS);
        // a request left by a stop that never reached the engine must not apply to this run
        Files.deleteIfExists(stopWorkloads);
        Engine engine = Engine.start(config.socket(), config.dataDir(), parts(config, images, snapshots));
        images.setImageInUse(engine.containers()::usesImage);
        Agent agent = config.agent() == null ? null : Agent.start(config.agent(), config.dataDir(),
                engine.containers(), images, new LogFileReader(), outbox -> new LogShipper(config.dataDir().resolve("agent")
                        .resolve("logs"), engine.containers(), new LogFileReader(), outbox), Engine.objectMapper());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (agent != null && Files.deleteIfExists(stopWorkloads)) {
                    // stderr, not the logger: java.util.logging closes its handlers in its own shutdown hook
                    System.err.println("slipway engine: stopping the platform's instance containers");
                    int left = agent.closeStoppingWorkloads(STOP_WORKLOADS_LIMIT);
                    System.err.println(left == 0 ? "slipway engine: every instance container stopped and removed"
                            : "slipway engine: " + left + " instance containers did not stop within "
                            + STOP_WORKLOADS_LIMIT.toSeconds() + " s");
                } else if (agent != null) {
                    agent.close();
                }
                engine.close();
            } catch (Exception e) {
                LOG.warning("shutdown: " + e);
            }
            stopped.countDown();
        }));
        LOG.info("slipway engine listening on unix://" + config.socket() + " (data " + config.dataDir() + ")"
                + (agent == null ? "" : "; worker agent for " + config.agent().api()));
        stopped.await();
    }

    /** The real image store, snapshotter, runtime, log reader and bridge, all state under the data dir. */
    static EngineParts parts(EngineConfig config, LocalImageStore images, Snapshotter snapshots) throws IOException {
        Path dataDir = config.dataDir();
        // networking settings beyond the bridge come from the environment (see docs/engine-network.md)
        var env = System.getenv();
        BridgeNetworking bridge = BridgeNetworking.start(new BridgeConfig(config.bridge(), config.bridgeSubnet(),
                true, dataDir.resolve("network"), Path.of(NETNS_DIR),
                Path.of(env.getOrDefault("SLIPWAY_ENGINE_RESOLV_CONF", "/etc/resolv.conf")),
                Ipv4Subnet.parse(env.getOrDefault("SLIPWAY_ENGINE_NETWORK_POOL", BridgeConfig.DEFAULT_NETWORK_POOL)),
                env.get("SLIPWAY_ENGINE_FIREWALL")));
        return new EngineParts(images, snapshots, LinuxContainerRuntime.create(dataDir), new LogFileReader(), bridge);
    }

    /** The file that asks for instances to be stopped with the engine (see the class comment). */
    public static final String STOP_WORKLOADS = "stop-workloads";

    /** Longest wait for instances to stop; each gets its own grace period (10 s by default) within it. */
    static final java.time.Duration STOP_WORKLOADS_LIMIT = java.time.Duration.ofSeconds(60);

    /** Where containers' network namespaces are pinned (one file per container id, shared by engines). */
    static final String NETNS_DIR = "/run/slipway/netns";
}
