package dev.slipway.engine.runtime;

import dev.slipway.engine.cgroup.Cgroup;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container (with its cgroup) or an exec'd process (without), as seen through its monitor's state dir.
 * Everything goes through the monitor or the state files, so a handle built by {@code adopt} after an engine
 * restart behaves exactly like the one {@code start} returned.
 */
final class MonitoredProcess implements RunningContainer {
    private static final int SIGKILL = 9;
    private static final long DESTROY_WAIT_SECONDS = 10;

    private final String id;
    private final Path stateDir;
    private final int pid;
    private final Instant startedAt;
    private final Cgroup cgroup; // null for an exec'd process: it lives in its container's group
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    MonitoredProcess(String id, Path stateDir, int pid, Instant startedAt, Cgroup cgroup) {
        this.id = id;
        this.stateDir = stateDir;
        this.pid = pid;
        this.startedAt = startedAt;
        this.cgroup = cgroup;
        Thread.ofVirtual().name("exit-watch-" + id).start(this::watchExit);
    }

    private void watchExit() {
        try {
            MonitorConnection.awaitExit(stateDir);
            Optional<ExitStatus> status = StateFiles.exit(stateDir);
            if (status.isPresent()) {
                exit.complete(status.get());
            } else {
                exit.completeExceptionally(new IOException("monitor of " + id + " ended without recording an exit "
                        + "status (killed?); see " + stateDir));
            }
        } catch (IOException | RuntimeException e) {
            exit.completeExceptionally(e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    Path stateDir() {
        return stateDir;
    }

    Cgroup cgroup() {
        return cgroup;
    }

    @Override
    public void signal(int signal) throws IOException {
        if (signal < 1 || signal > 64) {
            throw new IllegalArgumentException("no such signal: " + signal);
        }
        MonitorConnection.command(stateDir, (byte) 's', (byte) signal);
    }

    @Override
    public Optional<ExitStatus> exitStatus() throws IOException {
        return StateFiles.exit(stateDir);
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit.copy();
    }

    @Override
    public SocketChannel attach() throws IOException {
        return MonitorConnection.open(stateDir, (byte) 'a')
                .orElseThrow(() -> new IOException("cannot attach to " + id + ": it is not running"));
    }

    @Override
    public void resizeTty(int rows, int cols) throws IOException {
        if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff) {
            throw new IllegalArgumentException("tty size out of range: " + rows + "x" + cols);
        }
        MonitorConnection.command(stateDir, (byte) 'r', (byte) (rows >> 8), (byte) rows, (byte) (cols >> 8), (byte) cols);
    }

    @Override
    public CgroupStats stats() throws IOException {
        if (cgroup == null) {
            throw new IOException(id + " is an exec'd process; stats belong to its container");
        }
        return cgroup.stats();
    }

    @Override
    public void destroy() throws IOException {
        if (cgroup != null) {
            cgroup.killAll();
        } else {
            signal(SIGKILL);
        }
        try {
            exit.get(DESTROY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while destroying " + id, e);
        } catch (ExecutionException e) {
            // the monitor died without a record; the cgroup below still removes every process
        } catch (TimeoutException e) {
            throw new IOException("monitor of " + id + " did not finish within " + DESTROY_WAIT_SECONDS + " s", e);
        }
        if (cgroup != null) {
            cgroup.destroy();
        }
    }
}
