package dev.slipway.engine.container;

import dev.slipway.engine.runtime.ContainerRuntime;
import dev.slipway.engine.runtime.RunningContainer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code docker exec} process: created with its spec, started once, then ended with an exit code. Kept in
 * memory only (as Docker does); gone when its container is removed or the engine restarts.
 */
public final class ExecInstance {

    private final String id;
    private final String containerId;
    private final ContainerRuntime.ExecSpec spec;
    private final boolean attachStdin;
    private final boolean attachStdout;
    private final boolean attachStderr;
    private volatile RunningContainer handle;
    private volatile boolean running;
    private volatile Integer exitCode;
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();

    ExecInstance(String id, String containerId, ContainerRuntime.ExecSpec spec, boolean attachStdin,
                 boolean attachStdout, boolean attachStderr) {
        this.id = id;
        this.containerId = containerId;
        this.spec = spec;
        this.attachStdin = attachStdin;
        this.attachStdout = attachStdout;
        this.attachStderr = attachStderr;
    }

    public String id() {
        return id;
    }

    public String containerId() {
        return containerId;
    }

    public ContainerRuntime.ExecSpec spec() {
        return spec;
    }

    public boolean attachStdin() {
        return attachStdin;
    }

    public boolean attachStdout() {
        return attachStdout;
    }

    public boolean attachStderr() {
        return attachStderr;
    }

    public boolean running() {
        return running;
    }

    /** Null until the process has ended. */
    public Integer exitCode() {
        return exitCode;
    }

    public int pid() {
        RunningContainer h = handle;
        return h == null || !running ? 0 : h.pid();
    }

    public RunningContainer handle() {
        return handle;
    }

    public Path stateDir() {
        return spec.stateDir();
    }

    boolean started() {
        return handle != null;
    }

    void started(RunningContainer h) {
        this.handle = h;
        this.running = true;
    }

    void exited(int code) {
        this.exitCode = code;
        this.running = false;
        ended.complete(code);
    }

    /** Completes with the exit code once it is recorded (so an inspect after it sees the code). */
    public CompletableFuture<Integer> ended() {
        return ended;
    }
}
