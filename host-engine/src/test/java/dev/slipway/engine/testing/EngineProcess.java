package dev.slipway.engine.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * The packaged engine ({@code target/host-engine.jar}) as a child process, started the way the launcher starts
 * it. Ready once it logs that it listens; {@link #kill9} ends it the hard way, as a crash would.
 */
public final class EngineProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/host-engine.jar");

    private final Process process;
    private final ConcurrentLinkedDeque<String> output = new ConcurrentLinkedDeque<>();
    private final Path socket;
    private final TestBridge bridge;

    private EngineProcess(Process process, Path socket, TestBridge bridge) {
        this.process = process;
        this.socket = socket;
        this.bridge = bridge;
    }

    public static EngineProcess start(Path socket, Path dataDir) throws IOException, InterruptedException {
        return start(socket, dataDir, TestBridge.forDataDir(dataDir), java.util.Map.of());
    }

    /** An engine on the given bridge, with extra environment (e.g. SLIPWAY_ENGINE_NETWORK_POOL). */
    public static EngineProcess start(Path socket, Path dataDir, TestBridge bridge, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first "
                    + "(./mvnw -pl host-engine verify does)");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-jar", JAR.toString(), "--socket", socket.toString(), "--data-dir", dataDir.toString()));
        command.addAll(bridge.engineArgs());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        EngineProcess engine = new EngineProcess(p, socket, bridge);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    engine.output.add(line);
                    if (engine.output.size() > 200) {
                        engine.output.removeFirst();
                    }
                    if (line.contains("slipway engine listening")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
            listening.completeExceptionally(new IllegalStateException("engine exited: " + engine.output));
        });
        try {
            listening.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("engine did not start: " + engine.output, e);
        }
        return engine;
    }

    /** The engine's own bridge (see {@link TestBridge}), removed by {@link #close}. */
    public TestBridge bridge() {
        return bridge;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, then wait until the process is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String recentOutput() {
        return String.join("\n", output);
    }

    /** One HTTP request over the engine's socket; returns the body. */
    public String http(String method, String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            String request = method + " " + path + " HTTP/1.1\r\nHost: engine\r\nConnection: close\r\n"
                    + "Content-Length: 0\r\n\r\n";
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            byte[] all = java.nio.channels.Channels.newInputStream(ch).readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }
    }

    /** Stops the engine and removes its bridge and rules (run containers' networking goes with them). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        try {
            bridge.remove();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not remove test bridge " + bridge.name(), e);
        }
    }
}
