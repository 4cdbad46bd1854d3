package dev.slipway.engine.runtime;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on a started container (or exec'd process). Valid from {@link ContainerRuntime#start} until
 * {@link #destroy}; survives engine restarts through {@link ContainerRuntime#adopt}.
 */
public interface RunningContainer {

    String id();

    /** Host pid of the container's init (or of the exec'd process). */
    int pid();

    Instant startedAt();

    /** Sends a signal to init; a no-op once it has exited. */
    void signal(int signal) throws IOException;

    /** Present once the process has ended; read from the monitor's record, so it is right after an engine restart. */
    Optional<ExitStatus> exitStatus() throws IOException;

    /** Completes when the process ends. */
    CompletableFuture<ExitStatus> onExit();

    /**
     * Connects to the monitor's stdio stream. Bytes written go to the process's stdin (if it was opened);
     * bytes read are its output. Without a tty the output arrives as frames: 1 byte stream (1 stdout, 2 stderr),
     * 4 bytes big-endian length, payload; with a tty it is the raw pty output.
     */
    SocketChannel attach() throws IOException;

    /** Resizes the pty (no-op without a tty). */
    void resizeTty(int rows, int cols) throws IOException;

    /** Current resource use from the cgroup. */
    CgroupStats stats() throws IOException;

    /** Kills every remaining process, removes the cgroup, stops the monitor. Idempotent. */
    void destroy() throws IOException;

    /**
     * How the process ended.
     *
     * @param exitCode  0-255, or 128+signal when killed by a signal (as the shell and docker report it)
     * @param signal    terminating signal number, 0 if it exited normally
     * @param oomKilled the kernel's OOM killer ended a process of this container's cgroup
     */
    record ExitStatus(int exitCode, int signal, boolean oomKilled, Instant finishedAt) {
    }

    /** cgroup counters; -1 where the kernel does not provide a figure. */
    record CgroupStats(long cpuUsageNanos, long memoryCurrentBytes, long memoryPeakBytes, long memoryLimitBytes,
                       long pidsCurrent, long pidsLimit, long oomKills) {
    }
}
