package dev.slipway.api.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * The real engine ({@code host-engine/target/host-engine.jar}) run as a worker of the test API: its own data dir,
 * Docker API socket and bridge ({@code slwt<N>}, subnet {@code 10.211.<N>.0/24}, tenant networks from
 * {@link #networkPool}), joined with a join token. Life:
 * {@link #start} (returns once the engine listens and has joined) -> {@link #kill9} / {@link #restart} as a test
 * needs -> {@link #close}, which removes the engine's instance containers, stops it and deletes its bridge,
 * nftables table and data dir. Needs root, like the engine.
 *
 * <p>Bridge numbers are taken with a lock file per number under {@code /tmp}, so engines of test JVMs running
 * side by side never share a bridge; a system property {@code slipway.test.bridge-prefix} (default {@code slwt})
 * and {@code slipway.test.subnet-octet} (default 211) let another suite use its own range.
 */
public final class EngineWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofSeconds(120);

    private final String apiUrl;
    private final String joinToken;
    private final String name;
    private final Path home;
    private final int number;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<String> extraArgs;
    private final ConcurrentLinkedDeque<String> output = new ConcurrentLinkedDeque<>();
    private Process process;

    private EngineWorker(String apiUrl, String joinToken, String name, List<String> extraArgs, Path home, int number,
            FileChannel channel, FileLock lock) {
        this.apiUrl = apiUrl;
        this.extraArgs = List.copyOf(extraArgs);
        this.joinToken = joinToken;
        this.name = name;
        this.home = home;
        this.number = number;
        this.lockChannel = channel;
        this.lock = lock;
    }

    /**
     * Starts an engine that joins {@code apiUrl} with {@code joinToken} as worker {@code name}; {@code engineArgs}
     * are added to its command line (e.g. {@code --advertise 127.0.0.1}).
     */
    public static EngineWorker start(String apiUrl, String joinToken, String name, String... engineArgs) {
        try {
            Path home = Files.createTempDirectory("slipway-worker-");
            for (int n = 1; n < 128; n++) {
                FileChannel channel = FileChannel.open(Path.of("/tmp", prefix() + n + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException heldByThisJvm) {
                    lock = null; // another engine of this test JVM has this number
                }
                if (lock == null) {
                    channel.close();
                    continue;
                }
                EngineWorker worker = new EngineWorker(apiUrl, joinToken, name, List.of(engineArgs), home, n,
                        channel, lock);
                worker.removeNetwork(); // left over by a killed test JVM
                worker.launch();
                return worker;
            }
            throw new IllegalStateException("no free test bridge number for " + prefix() + "<N>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The worker id the engine got at join ({@code <data-dir>/agent/worker.json}). */
    public String workerId() {
        try {
            return JSON.readTree(dataDir().resolve("agent/worker.json").toFile()).path("workerId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("the engine has not joined: " + recentOutput(), e);
        }
    }

    /** The engine's local Docker API socket ({@code DOCKER_HOST=unix://<socket>}). */
    public Path socket() {
        return home.resolve("engine.sock");
    }

    public String bridge() {
        return prefix() + number;
    }

    public String subnet() {
        return "10." + subnetOctet() + "." + number + ".0/24";
    }

    /**
     * Where the engine's tenant networks get their subnets: one of eight /20 blocks in the upper half of the test
     * range ({@code 10.211.128.0/17} by default), chosen by the bridge number.
     */
    public String networkPool() {
        return "10." + subnetOctet() + "." + (128 + 16 * ((number - 1) % 8)) + ".0/20";
    }

    /** Kills the engine the hard way (its containers run on under their monitors), then waits until it is gone. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the engine again on the same data dir: it reuses its credential and re-adopts its containers. */
    public void restart() {
        if (process.isAlive()) {
            stop();
        }
        launch();
    }

    public String recentOutput() {
        return String.join("\n", output);
    }

    /** One request to the engine's Docker API; returns the response body. */
    public String http(String method, String path) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            String request = method + " " + path + " HTTP/1.1\r\nHost: engine\r\nConnection: close\r\n"
                    + "Content-Length: 0\r\n\r\n";
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            String text = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        } catch (IOException e) {
            throw new UncheckedIOException("engine API " + method + " " + path, e);
        }
    }

    @Override
    public void close() {
        try {
            if (process != null && process.isAlive()) {
                removeInstanceContainers();
                stop();
            }
            removeNetwork();
            run("rm", "-rf", "--one-file-system", home.toString());
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // the lock goes with the JVM anyway
            }
        }
    }

    private void launch() {
        Path jar = repoRoot().resolve("host-engine/target/host-engine.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build host-engine first (./mvnw -pl platform-api -am"
                    + " verify builds it before these tests)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "--socket", socket().toString(), "--data-dir", dataDir().toString(),
                "--bridge", bridge(), "--bridge-subnet", subnet(), "--api", apiUrl, "--name", name));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // From the environment, as the launcher passes it: a token never shows in the process list.
        builder.environment().put("SLIPWAY_JOIN_TOKEN", joinToken);
        // Instances live on tenant networks; their subnets come from this pool, inside the test range too.
        builder.environment().put("SLIPWAY_ENGINE_NETWORK_POOL", networkPool());
        output.clear();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process p = process;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (output.size() > 300) {
                        output.removeFirst();
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        long deadline = System.nanoTime() + READY.toNanos();
        while (!(Files.exists(socket()) && Files.exists(dataDir().resolve("agent/worker.json")))) {
            if (!p.isAlive()) {
                throw new IllegalStateException("engine worker " + name + " exited with " + p.exitValue() + ":\n"
                        + recentOutput());
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("engine worker " + name + " did not listen and join within " + READY
                        + ":\n" + recentOutput());
            }
            sleep(100);
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeInstanceContainers() {
        try {
            JsonNode containers = JSON.readTree(http("GET", "/containers/json?all=1"));
            for (JsonNode c : containers) {
                http("DELETE", "/containers/" + c.path("Id").asText() + "?force=1");
            }
        } catch (IOException | RuntimeException e) {
            output.add("(could not remove containers: " + e + ")");
        }
    }

    private void removeNetwork() {
        if (Files.exists(Path.of("/sys/class/net", bridge()))) {
            run("ip", "link", "del", bridge());
        }
        run("nft", "delete", "table", "ip", "slipway_" + bridge());
        // the tenant networks' bridges (<bridge>n1, ...) the engine made for its instances' slipway.tenant label
        try (var links = Files.list(Path.of("/sys/class/net"))) {
            links.map(l -> l.getFileName().toString()).filter(l -> l.matches(bridge() + "n[0-9]+"))
                    .forEach(l -> run("ip", "link", "del", l));
        } catch (IOException e) {
            output.add("(could not list network links: " + e + ")");
        }
    }

    private Path dataDir() {
        return home.resolve("data");
    }

    private static void run(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String prefix() {
        return System.getProperty("slipway.test.bridge-prefix", "slwt");
    }

    private static int subnetOctet() {
        return Integer.getInteger("slipway.test.subnet-octet", 211);
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
}
