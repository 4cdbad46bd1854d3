package dev.slipway.engine.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.container.ContainerRecord;
import dev.slipway.engine.container.ContainerService;
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
import dev.slipway.engine.testimages.ImageArchives;
import dev.slipway.engine.testimages.LocalRegistry;
import dev.slipway.engine.testimages.TestImages;
import dev.slipway.engine.testing.DockerCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One real engine per test JVM for the agent's tests: the real runtime, snapshotter, image store and bridge
 * ({@code slag0}, 10.221.0.0/24) in this JVM, a real registry (distribution) holding a busybox image, and the
 * real docker CLI on the engine's socket to observe and poke. {@link #restart} closes the engine and starts a new
 * one on the same data dir, as an engine restart does (containers keep running under their monitors). Everything
 * is removed when the JVM exits.
 */
final class AgentTestEngine {

    static final String BRIDGE = "slag0";
    static final String SUBNET = "10.221.0.0/24";
    static final String TENANT_POOL = "10.221.128.0/17";

    private static AgentTestEngine shared;

    final Path root;
    final Path dataDir;
    final Path socket;
    final LocalRegistry registry;
    /** The busybox image in the registry, pinned by digest, as the API names images in {@code assign}. */
    final String image;
    final DockerCli docker;
    final ObjectMapper json = Engine.objectMapper();
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private Engine engine;
    private LocalImageStore images;

    private AgentTestEngine() throws Exception {
        if (dev.slipway.engine.libc.LibC.INSTANCE.geteuid() != 0) {
            throw new IllegalStateException("agent tests need root (they run real containers)");
        }
        root = Path.of("target", "agent-test").toAbsolutePath();
        removeBridge();
        if (Files.exists(root)) {
            new ProcessBuilder("rm", "-rf", root.toString()).inheritIO().start().waitFor();
        }
        dataDir = Files.createDirectories(root.resolve("data"));
        socket = root.resolve("engine.sock");
        registry = LocalRegistry.start(root.resolve("registry"), null, null);
        Path archive = ImageArchives.writeOciArchive(root.resolve("busybox-oci.tar"), TestImages.busybox(),
                "busybox:1");
        registry.push(archive, "agent/busybox:1");
        image = registry.host() + "/agent/busybox@" + registry.digest("agent/busybox:1");
        start();
        docker = new DockerCli(socket, root);
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp));
    }

    static synchronized AgentTestEngine shared() throws Exception {
        if (shared == null) {
            shared = new AgentTestEngine();
        }
        return shared;
    }

    private void start() throws IOException {
        Snapshotter snapshots = Snapshotters.forHost(dataDir);
        images = new LocalImageStore(dataDir.resolve("images"), snapshots);
        // instances carry slipway.tenant, so they live on tenant networks: those come from 10.221.128.0/17
        BridgeNetworking bridge = BridgeNetworking.start(new BridgeConfig(BRIDGE, Ipv4Subnet.parse(SUBNET), true,
                dataDir.resolve("network"), Path.of("/run/slipway/netns"), Path.of("/etc/resolv.conf"),
                Ipv4Subnet.parse(TENANT_POOL), null));
        engine = Engine.start(socket, dataDir, new EngineParts(images, snapshots, LinuxContainerRuntime.create(dataDir),
                new LogFileReader(), bridge));
        images.setImageInUse(engine.containers()::usesImage);
    }

    /** Closes the engine (containers keep running) and starts a new one on the same data dir. */
    synchronized void restart() throws IOException {
        engine.close();
        start();
    }

    ContainerService containers() {
        return engine.containers();
    }

    LocalImageStore images() {
        return images;
    }

    /** The agent's parts over this engine, reporting into {@code outbox}; restarts back off after 10 min runs. */
    Supervision supervision(Outbox outbox, Path agentDir) throws IOException {
        return supervision(outbox, agentDir, Supervision.DEFAULT_BACKOFF_RESET);
    }

    Supervision supervision(Outbox outbox, Path agentDir, Duration backoffReset) throws IOException {
        return supervision(outbox, agentDir, backoffReset, EndpointResolver.bridge(containers()));
    }

    Supervision supervision(Outbox outbox, Path agentDir, Duration backoffReset, EndpointResolver endpoints)
            throws IOException {
        return new Supervision(containers(), new ImageFetcher(images), new SpecStore(agentDir.resolve("instances"), json),
                outbox, endpoints, new HealthProbe(), timer, LogShipping.NONE, new LogFileReader(), backoffReset);
    }

    /** An instance of app {@code app} running {@code command} in the busybox image. */
    Wire.InstanceSpec spec(String app, long generation, List<String> command) {
        return spec(UUID.randomUUID().toString(), app, generation, command, null, null);
    }

    Wire.InstanceSpec spec(String instanceId, String app, long generation, List<String> command, Integer port,
                           Wire.HealthCheck health) {
        return new Wire.InstanceSpec(instanceId, app, "acme", "v1", generation, image, null, command,
                Map.of("GREETING", "hello"), port, new Wire.Resources(0.5, 64L, 128L), health, 2);
    }

    /** Containers carrying the instance label, as the engine lists them. */
    List<ContainerRecord> instanceContainers() {
        return containers().list().stream().filter(InstanceContainer::isInstance).toList();
    }

    /** Removes every instance container (between tests). */
    void removeInstanceContainers() {
        for (ContainerRecord r : instanceContainers()) {
            try {
                containers().remove(r.id(), true);
            } catch (Exception e) {
                // gone meanwhile
            }
        }
    }

    private void cleanUp() {
        try {
            for (ContainerRecord r : containers().list()) {
                containers().remove(r.id(), true);
            }
            engine.close();
        } catch (Exception e) {
            System.err.println("agent test engine cleanup: " + e);
        }
        try {
            registry.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeBridge();
    }

    private static void removeBridge() {
        try {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                new ProcessBuilder("ip", "link", "del", BRIDGE).inheritIO().start().waitFor();
            }
            new ProcessBuilder("nft", "delete", "table", "ip", "slipway_" + BRIDGE).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            // the tenant networks (slag0n1, ...) the engine made for the instances' slipway.tenant label
            try (var links = Files.list(Path.of("/sys/class/net"))) {
                for (String link : links.map(l -> l.getFileName().toString())
                        .filter(l -> l.matches(BRIDGE + "n[0-9]+")).toList()) {
                    new ProcessBuilder("ip", "link", "del", link).inheritIO().start().waitFor();
                }
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("could not remove bridge " + BRIDGE + ": " + e);
        }
    }
}
