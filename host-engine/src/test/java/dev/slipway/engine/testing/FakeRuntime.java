package dev.slipway.engine.testing;

import dev.slipway.engine.runtime.ContainerLog;
import dev.slipway.engine.runtime.ContainerRuntime;
import dev.slipway.engine.runtime.RunningContainer;
import dev.slipway.engine.runtime.RuntimeFailure;
import dev.slipway.engine.runtime.RuntimeSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Runs a container's argv as a plain host process (no isolation) behind an in-process imitation of the monitor:
 * an attach socket in the state dir with the real monitor's framing and first-attach backlog, and log records
 * readable through {@link #log()}. For unit tests of the lifecycle and the API with the real docker CLI.
 */
public final class FakeRuntime implements ContainerRuntime {

    private final Map<Path, FakeProcess> byStateDir = new ConcurrentHashMap<>();
    public volatile List<String> lastArgs;
    public volatile RuntimeSpec lastSpec;

    @Override
    public RunningContainer start(RuntimeSpec spec) throws RuntimeFailure, IOException {
        lastSpec = spec;
        lastArgs = spec.args();
        return launch(spec.id(), spec.args(), spec.env(), spec.stateDir(), spec.openStdin());
    }

    @Override
    public Optional<RunningContainer> adopt(Path stateDir) {
        return Optional.ofNullable(byStateDir.get(stateDir));
    }

    @Override
    public RunningContainer exec(RunningContainer container, ExecSpec exec) throws RuntimeFailure, IOException {
        return launch(container.id(), exec.args(), exec.env(), exec.stateDir(), exec.openStdin());
    }

    @Override
    public String cgroupVersion() {
        return "v1";
    }

    private FakeProcess launch(String id, List<String> args, List<String> env, Path stateDir, boolean stdin)
            throws RuntimeFailure, IOException {
        ProcessBuilder pb = new ProcessBuilder(args);
        pb.environment().clear();
        for (String e : env) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new RuntimeFailure("exec: " + args.get(0) + ": not found", e);
        }
        if (!stdin) {
            process.getOutputStream().close();
        }
        FakeProcess fake = new FakeProcess(id, process, stateDir);
        byStateDir.put(stateDir, fake);
        return fake;
    }

    public ContainerLog log() {
        return (stateDir, after, tail, follow, filter, consumer) -> {
            FakeProcess p = byStateDir.get(stateDir);
            if (p != null) {
                p.read(after, tail, follow, filter, consumer);
            }
        };
    }

    /** One host process with its imitation monitor. */
    static final class FakeProcess implements RunningContainer {
        private final String id;
        private final Process process;
        private final Instant startedAt = Instant.now();
        private final List<ContainerLog.Record> records = new ArrayList<>();
        private final List<SocketChannel> clients = new ArrayList<>();
        private final ByteArrayOutputStream backlog = new ByteArrayOutputStream();
        private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        private final ServerSocketChannel server;
        private final Path socket;
        private boolean attachedOnce;
        private boolean ended;

        FakeProcess(String id, Process process, Path stateDir) throws IOException {
            this.id = id;
            this.process = process;
            this.socket = stateDir.resolve("sock");
            Files.deleteIfExists(socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(this::acceptLoop);
            Thread out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), 1));
            Thread err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), 2));
            Thread.ofVirtual().start(() -> {
                try {
                    int code = process.waitFor();
                    out.join();
                    err.join();
                    finish(code);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        private void acceptLoop() {
            while (true) {
                try {
                    SocketChannel client = server.accept();
                    synchronized (this) {
                        if (ended) { // like the real monitor: once the process has ended, nobody is served
                            client.close();
                            continue;
                        }
                        clients.add(client);
                        if (!attachedOnce) {
                            attachedOnce = true;
                            client.write(ByteBuffer.wrap(backlog.toByteArray()));
                        }
                    }
                    Thread.ofVirtual().start(() -> stdin(client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void stdin(SocketChannel client) {
            // Half-close like the real monitor: stdin ends, the client keeps receiving output.
            InputStream in = java.nio.channels.Channels.newInputStream(client);
            try (OutputStream to = process.getOutputStream()) {
                in.transferTo(to);
            } catch (IOException ignored) {
                // client or process gone
            }
        }

        private void pump(InputStream in, int stream) {
            byte[] buffer = new byte[8192];
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (this) {
                        byte[] frame = ByteBuffer.allocate(5 + n).put((byte) stream).putInt(n).put(buffer, 0, n)
                                .array();
                        if (clients.isEmpty() && !attachedOnce) {
                            backlog.write(frame);
                        }
                        for (SocketChannel c : clients) {
                            try {
                                c.write(ByteBuffer.wrap(frame));
                            } catch (IOException ignored) {
                                // client gone
                            }
                        }
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                addRecord(stream, line.toByteArray(), false);
                                line.reset();
                            } else {
                                line.write(buffer[i]);
                            }
                        }
                    }
                }
                synchronized (this) {
                    if (line.size() > 0) {
                        addRecord(stream, line.toByteArray(), true);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }

        private void addRecord(int stream, byte[] bytes, boolean partial) {
            records.add(new ContainerLog.Record(stream, Instant.now(), records.size(), bytes, partial));
            notifyAll();
        }

        private synchronized void finish(int code) {
            ended = true;
            notifyAll();
            try {
                server.close();
                Files.deleteIfExists(socket);
                for (SocketChannel c : clients) {
                    c.close();
                }
            } catch (IOException ignored) {
                // best effort
            }
            exit.complete(new ExitStatus(code, code > 128 ? code - 128 : 0, false, Instant.now()));
        }

        synchronized void read(long after, int tail, boolean follow, Predicate<ContainerLog.Record> filter,
                               ContainerLog.Consumer consumer) throws IOException, InterruptedException {
            int next = (int) Math.max(after + 1, 0);
            if (tail >= 0) {
                next = Math.max(next, records.size() - tail);
            }
            while (true) {
                while (next < records.size()) {
                    ContainerLog.Record r = records.get(next++);
                    if (filter.test(r) && !consumer.accept(r)) {
                        return;
                    }
                }
                if (!follow || ended) {
                    return;
                }
                wait();
            }
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public int pid() {
            return (int) process.pid();
        }

        @Override
        public Instant startedAt() {
            return startedAt;
        }

        @Override
        public void signal(int signal) throws IOException {
            if (process.isAlive()) {
                new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            }
        }

        @Override
        public Optional<ExitStatus> exitStatus() {
            return Optional.ofNullable(exit.getNow(null));
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return exit;
        }

        @Override
        public SocketChannel attach() throws IOException {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        }

        @Override
        public void resizeTty(int rows, int cols) {
        }

        @Override
        public CgroupStats stats() {
            return new CgroupStats(1_000_000, 4 << 20, 8 << 20, 0, 1, 0, 0);
        }

        @Override
        public void destroy() {
            process.destroyForcibly();
        }
    }
}
