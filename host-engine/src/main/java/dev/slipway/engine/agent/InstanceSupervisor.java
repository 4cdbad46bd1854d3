package dev.slipway.engine.agent;

import dev.slipway.engine.container.ContainerException;
import dev.slipway.engine.container.ContainerRecord;
import dev.slipway.engine.container.ContainerService.WaitCondition;
import dev.slipway.engine.container.ContainerState;
import dev.slipway.engine.image.ImageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one instance as the API wants it and tells the API how it is.
 *
 * <p>Lifecycle: created by {@link Convergence} for an assigned instance ({@link #desire}) or for a container found
 * at engine start ({@link #adopt}). While desired it pulls the image ({@code pulling}), creates and starts the
 * container ({@code starting}, {@code running}), restarts it after every exit with back-off ({@code crash-loop};
 * 1 s, 2 s, 4 s ... 5 min, reset after a run of 10 min), replaces it when the spec's generation grows, and probes
 * its health. {@link #retire} stops it (SIGTERM, SIGKILL after the grace period: {@code stopping}), removes it and
 * ends in {@code stopped}; the supervisor is then dropped unless desired again meanwhile. An image that cannot be
 * pulled or a container that cannot be created is {@code failed} and retried with the same back-off.
 *
 * <p>Every change runs on the instance's {@link SerialQueue}; exits arrive as events from the container service
 * ({@code waitFor}), never by polling. Each start gets a new run number, so an exit, a health result or a restart
 * timer of an earlier run is ignored. An {@code instance} frame goes up whenever the reported status changes.
 */
final class InstanceSupervisor {

    private static final Logger LOG = Logger.getLogger(InstanceSupervisor.class.getName());
    /** How long a removal waits for the API to acknowledge the container's last log lines (stream down: all of it). */
    static final java.time.Duration LOG_DRAIN_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final String instanceId;
    private final Supervision s;
    private final Consumer<InstanceSupervisor> onRetired;
    private final SerialQueue queue;
    private final RetryBackoff backoff = RetryBackoff.forRestarts();

    /** Set synchronously by desire/retire (under the convergence lock), read when a retirement completes. */
    private volatile boolean wanted;
    private volatile boolean closed;

    // queue-confined state
    private Wire.InstanceSpec spec;
    private String containerId;
    private long generation;
    private String state = "starting";
    private Boolean probeHealthy;
    private Integer exitCode;
    private boolean oomKilled;
    private String reason;
    private List<String> lastLog = List.of();
    private long run;
    private ScheduledFuture<?> restartTimer;
    private ScheduledFuture<?> healthTimer;
    private boolean seenHealthy;
    private int probesSinceStart;
    private long probingSince;
    private long launchSince;
    private long launchMillis = -1;

    private volatile Wire.InstanceStatus current;
    private volatile Wire.InstanceStatus lastSent;
    private volatile String currentContainerId;

    InstanceSupervisor(String instanceId, Supervision supervision, Consumer<InstanceSupervisor> onRetired) {
        this.instanceId = instanceId;
        this.s = supervision;
        this.onRetired = onRetired;
        this.queue = new SerialQueue("instance-" + instanceId);
        this.current = new Wire.InstanceStatus(instanceId, null, state, false, null, 0, null, false, null, null,
                null, List.of());
    }

    String instanceId() {
        return instanceId;
    }

    boolean wanted() {
        return wanted;
    }

    /** The last status computed (for {@code hello}); marks it as sent. */
    Wire.InstanceStatus statusForHello() {
        Wire.InstanceStatus status = current;
        lastSent = status;
        return status;
    }

    /** Container id while one exists (for stats). */
    Optional<String> containerId() {
        return Optional.ofNullable(currentContainerId);
    }

    // --- commands (any thread) ----------------------------------------------------------------------------------

    void desire(Wire.InstanceSpec newSpec) {
        wanted = true;
        queue.submit(() -> converge(newSpec));
    }

    void retire() {
        wanted = false;
        queue.submit(this::stopAndRemove);
    }

    void adopt(ContainerRecord record, Optional<Wire.InstanceSpec> storedSpec) {
        wanted = storedSpec.isPresent();
        queue.submit(() -> adopted(record, storedSpec.orElse(null)));
    }

    /** Stops supervising (timers, restarts, reports); containers keep running. For an agent that stops. */
    void close() {
        closed = true;
        queue.submit(() -> {
            run++;
            cancel(restartTimer);
            cancel(healthTimer);
        });
    }

    // --- work on the queue ------------------------------------------------------------------------------------

    private void converge(Wire.InstanceSpec newSpec) {
        if (closed || !wanted) {
            return;
        }
        Wire.HealthCheck oldCheck = spec == null ? null : spec.healthCheck();
        spec = newSpec;
        try {
            s.specs().save(newSpec);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot persist the spec of instance " + instanceId, e);
        }
        if (containerId != null && !exists(containerId)) {
            forgetContainer();
        }
        if (containerId != null && generation < newSpec.generation()) {
            LOG.info(() -> "instance " + instanceId + ": generation " + generation + " -> " + newSpec.generation()
                    + ", replacing its container");
            state = "stopping";
            report();
            removeContainer();
        }
        if (containerId == null) {
            if (restartTimer == null || restartTimer.isDone()) {
                createAndStart();
            }
            return;
        }
        if (isRunning()) {
            if (!java.util.Objects.equals(oldCheck, newSpec.healthCheck())) {
                probeHealthy = null;
                startHealthChecks();
            }
            report();
        } else if (restartTimer == null || restartTimer.isDone()) {
            startContainer();
        }
    }

    private void adopted(ContainerRecord record, Wire.InstanceSpec storedSpec) {
        spec = storedSpec;
        setContainer(record.id(), InstanceContainer.generation(record));
        s.logs().track(instanceId, record.id());
        long thisRun = ++run;
        CompletableFuture<ContainerState> exit;
        try {
            exit = s.containers().waitFor(record.id(), WaitCondition.NOT_RUNNING);
        } catch (ContainerException e) {
            forgetContainer();
            state = "stopped";
            report();
            return;
        }
        if (exit.isDone()) {
            // ended while the engine was away: a crash if the instance is still wanted
            ContainerState ended = exit.join();
            if (spec != null) {
                exited(thisRun, ended);
            } else {
                state = "stopped";
                exitCode = ended.startedAt() == null ? null : ended.exitCode();
                oomKilled = ended.oomKilled();
                report();
            }
            return;
        }
        watch(exit, thisRun);
        state = "running";
        LOG.info(() -> "instance " + instanceId + ": adopted running container " + record.id().substring(0, 12));
        startHealthChecks();
        report();
    }

    private void createAndStart() {
        launchSince = System.nanoTime();
        try {
            if (s.images().present(spec.image()).isEmpty()) {
                state = "pulling";
                reason = null;
                report();
                s.images().ensure(spec.image(), spec.pullAuth());
            }
            ContainerRecord record = s.containers().create(InstanceContainer.createRequest(spec,
                    s.endpoints().publishing(spec.appPort())));
            setContainer(record.id(), spec.generation());
            s.logs().track(instanceId, record.id());
        } catch (ImageException | ContainerException | IOException | RuntimeException e) {
            failed(e);
            return;
        }
        startContainer();
    }

    /** Cannot pull or create: report {@code failed} with the reason and try again after the back-off. */
    private void failed(Exception e) {
        Duration delay = backoff.next();
        state = "failed";
        reason = (e instanceof ImageException ? "image " + spec.image() + ": " : "") + e.getMessage()
                + "; retrying in " + delay.toSeconds() + " s";
        LOG.warning("instance " + instanceId + ": " + reason);
        report();
        scheduleRestart(run, delay);
    }

    private void startContainer() {
        long thisRun = ++run;
        cancel(healthTimer);
        probeHealthy = null;
        state = "starting";
        report();
        CompletableFuture<ContainerState> exit;
        try {
            exit = s.containers().waitFor(containerId, WaitCondition.NEXT_EXIT);
            s.containers().start(containerId);
        } catch (ContainerException | IOException e) {
            if (e instanceof ContainerException ce && ce.reason() == ContainerException.Reason.NOT_MODIFIED) {
                // already running (started behind our back): supervise it as it is
                try {
                    watch(s.containers().waitFor(containerId, WaitCondition.NOT_RUNNING), thisRun);
                } catch (ContainerException gone) {
                    forgetContainer();
                }
                running();
                return;
            }
            // A start that fails in the runtime ends like an exit (the waiter fires with the exit status).
            reason = e.getMessage();
            CompletableFuture<ContainerState> pending;
            try {
                pending = s.containers().waitFor(containerId, WaitCondition.NOT_RUNNING);
            } catch (ContainerException gone) {
                forgetContainer();
                failed(e);
                return;
            }
            exited(thisRun, pending.getNow(null));
            return;
        }
        watch(exit, thisRun);
        running();
    }

    private void running() {
        launchMillis = launchSince == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchSince);
        launchSince = 0;
        state = "running";
        exitCode = null;
        oomKilled = false;
        reason = null;
        lastLog = List.of();
        startHealthChecks();
        report();
    }

    private void watch(CompletableFuture<ContainerState> exit, long thisRun) {
        exit.whenComplete((ended, failure) -> {
            if (failure == null) {
                queue.submit(() -> exited(thisRun, ended));
            }
        });
    }

    /** The container ended (or could not start): crash-loop, restart after the back-off. */
    private void exited(long thisRun, ContainerState ended) {
        if (thisRun != run || closed || !wanted || spec == null) {
            return;
        }
        cancel(healthTimer);
        probeHealthy = null;
        Instant started = ended == null ? null : ended.startedAt();
        Instant finished = ended == null ? null : ended.finishedAt();
        if (started != null && finished != null
                && Duration.between(started, finished).compareTo(s.backoffResetAfter()) >= 0) {
            backoff.reset();
        }
        Duration delay = backoff.next();
        exitCode = ended == null ? null : ended.exitCode();
        oomKilled = ended != null && ended.oomKilled();
        lastLog = readLastLog(started);
        state = "crash-loop";
        String error = ended == null || ended.error() == null || ended.error().isEmpty() ? "" : " (" + ended.error() + ")";
        reason = "exited with code " + exitCode + (oomKilled ? ", killed by the OOM killer" : "") + error
                + "; restarting in " + delay.toSeconds() + " s";
        LOG.info(() -> "instance " + instanceId + ": " + reason);
        report();
        scheduleRestart(thisRun, delay);
    }

    private void scheduleRestart(long thisRun, Duration delay) {
        cancel(restartTimer);
        restartTimer = s.timer().schedule(() -> queue.submit(() -> restartDue(thisRun)), delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void restartDue(long thisRun) {
        if (thisRun != run || closed || !wanted || spec == null) {
            return;
        }
        restartTimer = null;
        if (containerId != null && !exists(containerId)) {
            forgetContainer();
        }
        if (containerId == null) {
            createAndStart();
        } else {
            startContainer();
        }
    }

    private void stopAndRemove() {
        if (closed) {
            return;
        }
        run++;
        cancel(restartTimer);
        cancel(healthTimer);
        if (containerId != null) {
            state = "stopping";
            report();
            removeContainer();
        }
        state = "stopped";
        probeHealthy = null;
        report();
        try {
            s.specs().delete(instanceId);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete the spec of instance " + instanceId, e);
        }
        onRetired.accept(this);
    }

    /** SIGTERM, SIGKILL after the grace period, then remove; the container is gone afterwards. */
    private void removeContainer() {
        run++;
        cancel(healthTimer);
        String id = containerId;
        int grace = spec == null ? 10 : spec.stopGrace();
        try {
            s.containers().stop(id, grace, "SIGTERM");
        } catch (ContainerException e) {
            if (e.reason() != ContainerException.Reason.NOT_MODIFIED && e.reason() != ContainerException.Reason.NOT_FOUND) {
                LOG.warning("instance " + instanceId + ": stop: " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "instance " + instanceId + ": stop failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!s.logs().drain(instanceId, LOG_DRAIN_TIMEOUT)) {
                LOG.warning("instance " + instanceId + ": its last log lines were not acknowledged within "
                        + LOG_DRAIN_TIMEOUT.toSeconds() + " s; removing the container anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            s.containers().remove(id, true);
        } catch (ContainerException e) {
            if (e.reason() != ContainerException.Reason.NOT_FOUND) {
                LOG.warning("instance " + instanceId + ": remove: " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "instance " + instanceId + ": remove failed", e);
        }
        s.logs().untrack(instanceId);
        forgetContainer();
    }

    // --- health ---------------------------------------------------------------------------------------------

    /**
     * Probes at once, then every {@value #FIRST_PROBES_MS} ms until the first healthy answer (for at most
     * {@link #FAST_PROBES_FOR}), so a fresh instance reaches the router as soon as it answers (a refused connection
     * costs the app nothing), then every {@code intervalSeconds}. One probe at a time: the next is scheduled when the last one's result is in.
     */
    private void startHealthChecks() {
        cancel(healthTimer);
        seenHealthy = false;
        probesSinceStart = 0;
        probingSince = System.nanoTime();
        if (spec == null || spec.healthCheck() == null) {
            return;
        }
        scheduleProbe(run, spec.healthCheck(), containerId, spec.appPort(), 0);
    }

    // Deploy-to-first-200 waits on this: at 200 ms a start lost 100 ms on average between listening and routed.
    static final long FIRST_PROBES_MS = 50;
    /** An instance that never answers is probed at its interval after this, not 20 times a second for ever. */
    static final Duration FAST_PROBES_FOR = Duration.ofSeconds(30);

    private void scheduleProbe(long thisRun, Wire.HealthCheck check, String id, Integer port, long delayMillis) {
        healthTimer = s.timer().schedule(() -> Thread.ofVirtual().start(() -> {
            Optional<String> endpoint = port == null ? Optional.empty() : s.endpoints().endpoint(id, port);
            boolean ok = endpoint.isPresent() && s.health().check(endpoint.get(), check);
            queue.submit(() -> {
                healthResult(thisRun, ok);
                if (thisRun == run && !closed && "running".equals(state)) {
                    boolean fast = !seenHealthy && System.nanoTime() - probingSince < FAST_PROBES_FOR.toNanos();
                    scheduleProbe(thisRun, check, id, port, fast ? FIRST_PROBES_MS : check.interval() * 1000L);
                }
            });
        }), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void healthResult(long thisRun, boolean ok) {
        if (thisRun != run || closed || !"running".equals(state)) {
            return;
        }
        probesSinceStart++;
        if (ok && !seenHealthy) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - probingSince);
            int probes = probesSinceStart;
            String launch = launchMillis < 0 ? "" : "; pull, create and start took " + launchMillis + " ms";
            LOG.info(() -> "instance " + instanceId + ": healthy, " + millis + " ms after its start (" + probes
                    + (probes == 1 ? " probe" : " probes") + launch + ")");
        } else if (probeHealthy == null || probeHealthy != ok) {
            LOG.info(() -> "instance " + instanceId + ": " + (ok ? "healthy" : "unhealthy"));
        }
        probeHealthy = ok;
        seenHealthy |= ok;
        report();
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private void setContainer(String id, long gen) {
        containerId = id;
        currentContainerId = id;
        generation = gen;
    }

    private void forgetContainer() {
        containerId = null;
        currentContainerId = null;
    }

    private boolean exists(String id) {
        try {
            s.containers().get(id);
            return true;
        } catch (ContainerException e) {
            return false;
        }
    }

    private boolean isRunning() {
        try {
            return s.containers().get(containerId).state().running();
        } catch (ContainerException e) {
            return false;
        }
    }

    /** The last lines of the run that began at {@code runStarted}: the log file also holds earlier runs' lines. */
    private List<String> readLastLog(Instant runStarted) {
        if (containerId == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try {
            s.log().read(s.containers().runDir(containerId), -1, Supervision.LAST_LOG_LINES, false,
                    r -> runStarted == null || !r.timestamp().isBefore(runStarted), r -> {
                lines.add(new String(r.bytes(), StandardCharsets.UTF_8));
                return true;
            });
        } catch (IOException e) {
            LOG.fine(() -> "no log for " + instanceId + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(lines);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * Whether the API can know this instance: its ids are UUIDs. A container someone labelled by hand with
     * another value is still stopped when not assigned, but never reported (it would spoil the frame).
     */
    boolean platformInstance() {
        return UUID_FORM.matcher(instanceId).matches();
    }

    private static final java.util.regex.Pattern UUID_FORM =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Computes the status; sends an {@code instance} frame when it differs from the last one sent. */
    private void report() {
        boolean runningNow = "running".equals(state);
        boolean healthy = runningNow && (spec == null || spec.healthCheck() == null || Boolean.TRUE.equals(probeHealthy));
        String endpoint = null;
        String startedAt = null;
        String finishedAt = null;
        int restarts = 0;
        if (containerId != null) {
            if (runningNow && spec != null && spec.appPort() != null) {
                endpoint = s.endpoints().endpoint(containerId, spec.appPort()).orElse(null);
            }
            try {
                ContainerState cs = s.containers().get(containerId).state();
                startedAt = cs.startedAt() == null ? null : cs.startedAt().toString();
                finishedAt = cs.finishedAt() == null ? null : cs.finishedAt().toString();
                restarts = cs.restartCount();
            } catch (ContainerException e) {
                // removed meanwhile
            }
        }
        Wire.InstanceStatus status = new Wire.InstanceStatus(instanceId, containerId, state, healthy, endpoint,
                restarts, exitCode, oomKilled, startedAt, finishedAt, reason,
                "crash-loop".equals(state) ? lastLog : List.of());
        current = status;
        if (closed || status.equals(lastSent) || !platformInstance()) {
            return;
        }
        if (s.outbox().send(Wire.InstanceFrame.of(status))) {
            lastSent = status;
        }
    }
}
