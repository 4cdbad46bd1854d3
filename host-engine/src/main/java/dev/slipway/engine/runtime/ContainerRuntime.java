package dev.slipway.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs a container's processes on this host: namespaces, cgroup, rootfs pivot, and a per-container
 * monitor that outlives the engine.
 *
 * <h2>Lifecycle of one container</h2>
 * <pre>
 *   start(spec) ──► RUNNING ──(init exits, or is killed)──► EXITED ──destroy()──► gone
 *        │                                                     ▲
 *        └──(launch fails: bad binary, bad user, ...)──► RuntimeFailure thrown, nothing left behind
 * </pre>
 * <ul>
 *   <li>{@link #start} is called once per run with a rootfs that the caller has already mounted (the
 *   snapshotter's job) and a fresh, empty {@code spec.stateDir()}. It returns after the container's init has
 *   called exec (so a missing binary is a {@link RuntimeFailure}, not an exit code). A monitor process, not
 *   the JVM, is the parent of init: it holds stdio, writes the log file, records the exit status in the state
 *   dir, and keeps running if the engine dies.</li>
 *   <li>After an engine restart, {@link #adopt} rebuilds the handle from the state dir alone. It returns the
 *   handle whether the container is still running or ended while the engine was away (then its exit status is
 *   already recorded).</li>
 *   <li>{@link RunningContainer#destroy} is the only way to release the cgroup and the monitor; it kills every
 *   process left and is idempotent. The caller then removes the rootfs and the state dir.</li>
 * </ul>
 * Implementations are thread-safe; different containers are independent.
 */
public interface ContainerRuntime {

    /** Launches the container described by {@code spec}; see the class comment for what "returns" means. */
    RunningContainer start(RuntimeSpec spec) throws RuntimeFailure, IOException;

    /** Re-attaches to a container started by an earlier engine process, from its state dir. */
    Optional<RunningContainer> adopt(Path stateDir) throws IOException;

    /**
     * Runs an extra process inside a running container's namespaces and cgroup (docker exec). The returned
     * handle behaves like a container handle whose {@code destroy} only reaps that process.
     */
    RunningContainer exec(RunningContainer container, ExecSpec exec) throws RuntimeFailure, IOException;

    /** Which cgroup version this runtime drives ("v1" or "v2"), detected at start. */
    String cgroupVersion();

    /** A process to run inside an existing container. */
    record ExecSpec(List<String> args, List<String> env, String workingDir, String user, boolean tty,
                    boolean openStdin, Path stateDir) {
    }
}
