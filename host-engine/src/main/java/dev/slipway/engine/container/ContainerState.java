package dev.slipway.engine.container;

import java.time.Instant;

/**
 * Where a container is in its life, as Docker reports it. Transitions:
 * <pre>
 *   created ──start──► running ──(exit, stop, kill)──► exited ──start/restart──► running
 *      │                                                  │
 *      └──────────────────rm──────────────────────────────┴──► (removed; gone from the store)
 * </pre>
 * {@code startedAt}/{@code finishedAt} are null until the first start/exit.
 */
public record ContainerState(Status status, int pid, int exitCode, boolean oomKilled, String error,
                             Instant startedAt, Instant finishedAt, int restartCount) {

    public enum Status {
        CREATED, RUNNING, EXITED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static ContainerState created() {
        return new ContainerState(Status.CREATED, 0, 0, false, "", null, null, 0);
    }

    public boolean running() {
        return status == Status.RUNNING;
    }

    public ContainerState started(int pid, Instant at, boolean restart) {
        return new ContainerState(Status.RUNNING, pid, 0, false, "", at, finishedAt,
                restart ? restartCount + 1 : restartCount);
    }

    public ContainerState exited(int exitCode, boolean oomKilled, Instant at, String error) {
        return new ContainerState(Status.EXITED, 0, exitCode, oomKilled, error == null ? "" : error, startedAt, at,
                restartCount);
    }
}
