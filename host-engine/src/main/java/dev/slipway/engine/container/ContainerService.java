package dev.slipway.engine.container;

import dev.slipway.engine.archive.FileTrees;
import dev.slipway.engine.container.ContainerException.Reason;
import dev.slipway.engine.image.Image;
import dev.slipway.engine.image.ImageStore;
import dev.slipway.engine.network.ContainerNetworking;
import dev.slipway.engine.network.NetworkException;
import dev.slipway.engine.network.NetworkOptions;
import dev.slipway.engine.network.PortBinding;
import dev.slipway.engine.runtime.ContainerRuntime;
import dev.slipway.engine.runtime.RunningContainer;
import dev.slipway.engine.runtime.RunningContainer.ExitStatus;
import dev.slipway.engine.runtime.RuntimeFailure;
import dev.slipway.engine.runtime.RuntimeSpec;
import dev.slipway.engine.snapshot.Snapshotter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container lifecycle: ties the image store, the snapshotter and the runtime together behind Docker's verbs
 * (create, start, stop, kill, restart, rm, wait, exec) and keeps {@link ContainerStore} in step, so that an engine
 * restarted after a crash knows every container ({@link #recover}).
 *
 * Every change to one container happens under that container's monitor and is persisted before it becomes
 * visible; different containers proceed in parallel. A container's exit is event-driven: the runtime's
 * {@code onExit} future triggers {@link #exited}, which records the status, releases the runtime and the rootfs
 * mount, wakes waiters, and removes {@code --rm} containers.
 */
public final class ContainerService {

    private static final Logger LOG = Logger.getLogger(ContainerService.class.getName());
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ContainerStore store;
    private final Path runRoot;
    private final ImageStore images;
    private final Snapshotter snapshots;
    private final ContainerRuntime runtime;
    private final Executor async;
    private final ContainerNetworking network;
    private final Map<String, Container> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByName = new ConcurrentHashMap<>();
    private final Map<String, ExecInstance> execs = new ConcurrentHashMap<>();

    public ContainerService(ContainerStore store, Path runRoot, ImageStore images, Snapshotter snapshots,
                            ContainerRuntime runtime, Executor async) {
        this(store, runRoot, images, snapshots, runtime, async, ContainerNetworking.withoutBridge());
    }

    public ContainerService(ContainerStore store, Path runRoot, ImageStore images, Snapshotter snapshots,
                            ContainerRuntime runtime, Executor async, ContainerNetworking network) {
        this.network = network;
        this.store = store;
        this.runRoot = runRoot;
        this.images = images;
        this.snapshots = snapshots;
        this.runtime = runtime;
        this.async = async;
    }

    // --- lookup --------------------------------------------------------------------------------------------

    /** Docker's lookup order: full id, exact name, unique id prefix. */
    public ContainerRecord get(String ref) throws ContainerException {
        return find(ref).record;
    }

    public List<ContainerRecord> list() {
        List<ContainerRecord> all = new ArrayList<>();
        for (Container c : byId.values()) {
            all.add(c.record);
        }
        all.sort(Comparator.comparing(ContainerRecord::created).reversed());
        return all;
    }

    /**
     * The directory the runtime keeps this container's state (and logs) in for its current or last run. Short on
     * purpose: the monitor's attach socket lives in it, and a unix socket path may not exceed 107 bytes.
     */
    public Path runDir(String id) {
        return runRoot.resolve(id.substring(0, 16));
    }

    private Path execDir(String containerId, String execId) {
        return runRoot.resolve(containerId.substring(0, 16) + "-" + execId.substring(0, 12));
    }

    /** The container's address on the bridge while it holds one (from its first start until it is removed). */
    public Optional<ContainerNetworking.Endpoint> networkEndpoint(String id) {
        return network.endpoint(id);
    }

    /** Every network endpoint of the container (primary first). */
    public List<ContainerNetworking.Endpoint> networkEndpoints(String id) {
        return network.endpoints(id);
    }

    /** The engine's networks, for the network routes. */
    public ContainerNetworking networking() {
        return network;
    }

    /** {@code docker network connect}: a running container gets its interface now, a stopped one at its start. */
    public void connect(String ref, String networkRef, List<String> aliases) throws ContainerException, IOException {
        Container c = find(ref);
        synchronized (c) {
            try {
                network.connect(c.id(), networkRef, aliases == null ? List.of() : aliases, c.handle != null);
            } catch (NetworkException e) {
                throw networkRefusal(e);
            }
        }
    }

    public void disconnect(String ref, String networkRef) throws ContainerException, IOException {
        Container c = find(ref);
        synchronized (c) {
            try {
                network.disconnect(c.id(), networkRef, c.handle != null);
            } catch (NetworkException e) {
                throw networkRefusal(e);
            }
        }
    }

    /** The host ports a running container publishes (random ones resolved). */
    public List<PortBinding> publishedPorts(String id) {
        return network.publishedPorts(id);
    }

    /** Whether any container (running or not) was created from the image with this id. */
    public boolean usesImage(String imageId) {
        return byId.values().stream().anyMatch(c -> c.record.spec().imageId().equals(imageId));
    }

    /** The running container's runtime handle, or empty when it does not run. */
    public Optional<RunningContainer> handle(String ref) throws ContainerException {
        Container c = find(ref);
        synchronized (c) {
            return Optional.ofNullable(c.handle);
        }
    }

    private Container find(String ref) throws ContainerException {
        if (ref == null || ref.isEmpty()) {
            throw ContainerException.noSuchContainer(String.valueOf(ref));
        }
        Container c = byId.get(ref);
        if (c != null) {
            return c;
        }
        String name = ref.startsWith("/") ? ref.substring(1) : ref;
        String id = idByName.get(name);
        if (id != null && (c = byId.get(id)) != null) {
            return c;
        }
        Container found = null;
        for (Container candidate : byId.values()) {
            if (candidate.id().startsWith(ref)) {
                if (found != null) {
                    throw new ContainerException(Reason.INVALID, "multiple IDs found with provided prefix: " + ref);
                }
                found = candidate;
            }
        }
        if (found == null) {
            throw ContainerException.noSuchContainer(ref);
        }
        return found;
    }

    // --- create --------------------------------------------------------------------------------------------

    public ContainerRecord create(CreateRequest request) throws ContainerException, IOException {
        Image image = resolveImage(request.image());
        String id = Names.newId();
        String name = claimName(request.name(), id);
        try {
            CreateRequest attached;
            try {
                Map<String, String> labels = new LinkedHashMap<>(image.config().labels());
                if (request.labels() != null) {
                    labels.putAll(request.labels());
                }
                attached = request.withNetworkMode(network.attach(id, name, request.networkMode(),
                        request.networkOptions().aliases(), labels));
            } catch (NetworkException e) {
                // 400, not 404: the docker CLI answers a 404 from create by pulling the image
                throw e.reason() == NetworkException.Reason.NOT_FOUND
                        ? new ContainerException(Reason.INVALID, e.getMessage(), e) : networkRefusal(e);
            }
            ContainerSpec spec;
            try {
                spec = specOf(attached, image, id);
            } catch (ContainerException | RuntimeException e) {
                network.release(id);
                throw e;
            }
            ContainerRecord record = new ContainerRecord(id, name, Instant.now(), spec, ContainerState.created());
            try {
                snapshots.prepare(id, images.topSnapshot(image));
            } catch (IOException | RuntimeException e) {
                network.release(id);
                throw e;
            }
            try {
                store.create(record);
            } catch (IOException e) {
                snapshots.remove(id);
                network.release(id);
                throw e;
            }
            byId.put(id, new Container(record));
            return record;
        } catch (ContainerException | IOException | RuntimeException e) {
            idByName.remove(name, id);
            throw e;
        }
    }

    private Image resolveImage(String ref) throws ContainerException, IOException {
        if (ref == null || ref.isBlank()) {
            throw new ContainerException(Reason.INVALID, "config cannot be empty in order to create a container");
        }
        Optional<Image> image = images.find(ref);
        if (image.isEmpty() && ImageRefs.lacksTagAndDigest(ref)) {
            image = images.find(ref + ":latest");
        }
        return image.orElseThrow(() -> new ContainerException(Reason.NOT_FOUND, "No such image: "
                + ImageRefs.withDefaultTag(ref)));
    }

    private String claimName(String requested, String id) throws ContainerException {
        if (requested == null || requested.isEmpty()) {
            while (true) {
                String generated = Names.generated();
                if (idByName.putIfAbsent(generated, id) == null) {
                    return generated;
                }
            }
        }
        String name = Names.validName(requested);
        String holder = idByName.putIfAbsent(name, id);
        if (holder != null) {
            throw new ContainerException(Reason.CONFLICT, "Conflict. The container name \"/" + name
                    + "\" is already in use by container \"" + holder
                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
        return name;
    }

    private static ContainerSpec specOf(CreateRequest r, Image image, String id) throws ContainerException {
        Image.Config ic = image.config();
        List<String> entrypoint;
        List<String> cmd;
        if (r.entrypoint() != null) {
            entrypoint = r.entrypoint().stream().filter(s -> !s.isEmpty()).toList();
            cmd = r.cmd() == null ? List.of() : r.cmd();
        } else {
            entrypoint = ic.entrypoint();
            cmd = r.cmd() != null && !r.cmd().isEmpty() ? r.cmd() : ic.cmd();
        }
        if (entrypoint.isEmpty() && cmd.isEmpty()) {
            throw new ContainerException(Reason.INVALID, "no command specified");
        }
        String network = r.networkMode() == null || r.networkMode().isEmpty() ? "default" : r.networkMode();
        NetworkOptions networkOptions = networkOptions(r.networkOptions(), ic.exposedPorts());
        if ((network.equals("none") || network.equals("host")) && !networkOptions.portBindings().isEmpty()) {
            throw new ContainerException(Reason.INVALID, "ports cannot be published with --network " + network
                    + " (publishing needs a bridge network)");
        }
        if (r.memory() < 0 || r.nanoCpus() < 0 || r.cpuShares() < 0) {
            throw new ContainerException(Reason.INVALID, "resource limits must not be negative");
        }
        if (r.memory() > 0 && r.memory() < 6 * 1024 * 1024) {
            throw new ContainerException(Reason.INVALID, "Minimum memory limit allowed is 6MB");
        }
        Map<String, String> labels = new LinkedHashMap<>(ic.labels());
        if (r.labels() != null) {
            labels.putAll(r.labels());
        }
        return new ContainerSpec(r.image(), image.id(), entrypoint, cmd, mergeEnv(ic.env(), r.env()),
                r.workingDir() == null || r.workingDir().isEmpty() ? ic.workingDir() : r.workingDir(),
                r.user() == null || r.user().isEmpty() ? ic.user() : r.user(),
                r.hostname() == null || r.hostname().isEmpty() ? id.substring(0, 12) : r.hostname(),
                r.domainname(), r.tty(), r.openStdin(), r.stdinOnce(), r.attachStdin(), r.attachStdout(),
                r.attachStderr(), labels,
                r.stopSignal() == null || r.stopSignal().isEmpty() ? ic.stopSignal() : r.stopSignal(),
                r.stopTimeout(), r.memory(), r.nanoCpus(), r.cpuShares(), r.pidsLimit() < 0 ? 0 : r.pidsLimit(),
                network, r.autoRemove(), networkOptions);
    }

    /** The request's networking with the image's exposed ports added (for -P and docker ps). */
    private static NetworkOptions networkOptions(NetworkOptions requested, List<String> imageExposed) {
        java.util.Set<String> exposed = new java.util.LinkedHashSet<>();
        for (String key : imageExposed) {
            exposed.add(key.contains("/") ? key : key + "/tcp");
        }
        exposed.addAll(requested.exposedPorts());
        requested.portBindings().forEach(b -> exposed.add(b.containerKey()));
        return new NetworkOptions(requested.aliases(), requested.portBindings(), requested.publishAllPorts(),
                List.copyOf(exposed));
    }

    /** Image env first, the user's entries replace same-named ones; PATH defaulted as Docker does. */
    static List<String> mergeEnv(List<String> imageEnv, List<String> userEnv) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (List<String> source : List.of(imageEnv == null ? List.<String>of() : imageEnv,
                userEnv == null ? List.<String>of() : userEnv)) {
            for (String entry : source) {
                int eq = entry.indexOf('=');
                merged.put(eq < 0 ? entry : entry.substring(0, eq), entry);
            }
        }
        merged.putIfAbsent("PATH", DEFAULT_PATH);
        return new ArrayList<>(merged.values());
    }

    // --- start ---------------------------------------------------------------------------------------------

    public void start(String ref) throws ContainerException, IOException {
        Container c = find(ref);
        synchronized (c) {
            if (c.removing) {
                throw new ContainerException(Reason.CONFLICT, "container " + c.id() + " is being removed");
            }
            if (c.record.state().running()) {
                throw new ContainerException(Reason.NOT_MODIFIED, "container already started");
            }
            launch(c, c.record.state().startedAt() != null);
        }
    }

    private void launch(Container c, boolean restart) throws ContainerException, IOException {
        ContainerRecord record = c.record;
        Path rootfs = store.dir(record.id()).resolve("rootfs");
        Path runDir = runDir(record.id());
        RunningContainer handle;
        try {
            clearRunDir(runDir);
            Files.createDirectories(runDir);
            Files.createDirectories(rootfs);
            snapshots.mount(record.id(), rootfs);
            try {
                RuntimeSpec.Network net = network.prepare(record.id(), record.spec().networkMode(),
                        record.spec().hostname(), record.spec().networkOptions(), rootfs);
                handle = runtime.start(runtimeSpec(record, rootfs, runDir, net));
            } catch (RuntimeFailure | IOException | RuntimeException e) {
                try {
                    network.teardown(record.id());
                } catch (IOException teardown) {
                    e.addSuppressed(teardown);
                }
                snapshots.unmount(rootfs);
                throw e;
            }
        } catch (RuntimeFailure | IOException | RuntimeException e) {
            startFailed(c, e);
            if (e instanceof RuntimeFailure) {
                // The docker CLI turns "no such file or directory" into exit 127 and "permission denied" into
                // 126, matching lower-case text as runc words it.
                throw new ContainerException(Reason.FAILED, "failed to create task for container: "
                        + String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT), e);
            }
            if (e instanceof NetworkException ne) {
                throw networkRefusal(ne);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        c.handle = handle;
        c.record = record.withState(record.state().started(handle.pid(), handle.startedAt(), restart));
        store.save(c.record);
        for (CompletableFuture<RunningContainer> waiter : c.startWaiters) {
            waiter.complete(handle);
        }
        c.startWaiters.clear();
        watchExit(c, handle);
    }

    /** A network refusal (port taken, unknown network) as the client should see it: 404, 409 or 400. */
    static ContainerException networkRefusal(NetworkException e) {
        return new ContainerException(switch (e.reason()) {
            case NOT_FOUND -> Reason.NOT_FOUND;
            case CONFLICT -> Reason.CONFLICT;
            case INVALID -> Reason.INVALID;
        }, e.getMessage(), e);
    }

    /**
     * Empties a run dir for the next run but keeps the log files: {@code docker logs} shows every run, as Docker's
     * does, and the monitor continues the record sequence, so a log shipper that resumes by sequence sees one
     * growing log per container (worker-protocol: sequences per instance only ever grow).
     */
    private static void clearRunDir(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (var entries = Files.list(runDir)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().matches("log(\\.[0-9]+)?")) {
                    FileTrees.delete(entry);
                }
            }
        }
    }

    /**
     * A start that failed ends like an exit (Docker reports 127 for an unrunnable command): waiters wake, attach
     * clients are released, and a {@code --rm} container goes.
     */
    private void startFailed(Container c, Exception cause) throws IOException {
        ContainerState failed = c.record.state().exited(cause instanceof RuntimeFailure ? 127 : 128, false,
                Instant.now(), String.valueOf(cause.getMessage()));
        c.record = c.record.withState(failed);
        store.save(c.record);
        c.exitWaiters.forEach(w -> w.complete(failed));
        c.exitWaiters.clear();
        c.startWaiters.forEach(w -> w.cancel(false));
        c.startWaiters.clear();
        if (c.record.spec().autoRemove()) {
            String id = c.id();
            async.execute(() -> {
                try {
                    remove(id, true);
                } catch (ContainerException | IOException e) {
                    LOG.log(Level.WARNING, "auto-remove of " + id + " failed", e);
                }
            });
        }
    }

    private static RuntimeSpec runtimeSpec(ContainerRecord record, Path rootfs, Path runDir,
                                           RuntimeSpec.Network network) {
        ContainerSpec s = record.spec();
        return new RuntimeSpec(record.id(), runDir, rootfs, s.args(), s.env(),
                s.workingDir().isEmpty() ? "/" : s.workingDir(), s.user(), s.hostname(), s.tty(), s.openStdin(),
                network, new RuntimeSpec.Resources(s.memory(), s.nanoCpus(), s.cpuShares(), s.pidsLimit()),
                Map.of("slipway.container.name", record.name()));
    }

    private void watchExit(Container c, RunningContainer handle) {
        handle.onExit().whenCompleteAsync((status, failure) -> exited(c, handle, status, failure), async);
    }

    /** The runtime reported the end of the container's init: record it, release everything, wake waiters. */
    private void exited(Container c, RunningContainer handle, ExitStatus status, Throwable failure) {
        boolean autoRemove;
        synchronized (c) {
            if (c.handle != handle) {
                return; // already handled (engine shutting the container down twice)
            }
            ContainerState ended = failure == null
                    ? c.record.state().exited(status.exitCode(), status.oomKilled(), status.finishedAt(), "")
                    : c.record.state().exited(255, false, Instant.now(), "lost track of the container: " + failure);
            release(c, handle);
            c.record = c.record.withState(ended);
            autoRemove = c.record.spec().autoRemove() && !c.removing;
            try {
                if (!autoRemove) { // an --rm container's record is deleted right below; don't write it first
                    store.save(c.record);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not persist exit of " + c.id(), e);
            }
            for (CompletableFuture<ContainerState> waiter : c.exitWaiters) {
                waiter.complete(ended);
            }
            c.exitWaiters.clear();
        }
        if (autoRemove) {
            try {
                remove(c.id(), false);
            } catch (ContainerException | IOException e) {
                LOG.log(Level.WARNING, "auto-remove of " + c.id() + " failed", e);
            }
        }
    }

    /** Frees the runtime handle (cgroup, monitor) and the rootfs mount; the run dir with the logs stays. */
    private void release(Container c, RunningContainer handle) {
        c.handle = null;
        try {
            handle.destroy();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "runtime cleanup of " + c.id() + " failed", e);
        }
        try {
            network.teardown(c.id());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "network teardown of " + c.id() + " failed", e);
        }
        try {
            snapshots.unmount(store.dir(c.id()).resolve("rootfs"));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "unmount of " + c.id() + " failed", e);
        }
    }

    // --- stop, kill, restart ------------------------------------------------------------------------------

    /**
     * Sends the stop signal (the caller's, else the image's StopSignal, else SIGTERM), waits up to {@code timeout}
     * seconds (null: the container's StopTimeout or 10; negative: forever), then SIGKILL.
     */
    public void stop(String ref, Integer timeout, String signal) throws ContainerException, IOException,
            InterruptedException {
        Container c = find(ref);
        RunningContainer handle;
        ContainerSpec spec;
        synchronized (c) {
            handle = c.handle;
            spec = c.record.spec();
            if (handle == null) {
                throw new ContainerException(Reason.NOT_MODIFIED, "container already stopped");
            }
        }
        String stopSignal = signal != null && !signal.isEmpty() ? signal : spec.stopSignal();
        int seconds = timeout != null ? timeout : spec.stopTimeout() != null ? spec.stopTimeout() : 10;
        handle.signal(Signals.parse(stopSignal == null || stopSignal.isEmpty() ? "SIGTERM" : stopSignal));
        if (!awaitExit(c, handle, seconds < 0 ? null : Duration.ofSeconds(seconds))) {
            handle.signal(Signals.SIGKILL);
            awaitExit(c, handle, null);
        }
    }

    public void kill(String ref, String signal) throws ContainerException, IOException {
        Container c = find(ref);
        int number = Signals.parse(signal == null || signal.isEmpty() ? "SIGKILL" : signal);
        synchronized (c) {
            if (c.handle == null) {
                throw new ContainerException(Reason.CONFLICT, "Container " + c.id() + " is not running");
            }
            c.handle.signal(number);
        }
    }

    public void restart(String ref, Integer timeout, String signal) throws ContainerException, IOException,
            InterruptedException {
        try {
            stop(ref, timeout, signal);
        } catch (ContainerException e) {
            if (e.reason() != Reason.NOT_MODIFIED) {
                throw e;
            }
        }
        start(ref);
    }

    /** Waits until the handle's exit has been fully processed (recorded and released); false on timeout. */
    private boolean awaitExit(Container c, RunningContainer handle, Duration timeout) throws InterruptedException {
        CompletableFuture<ContainerState> done = new CompletableFuture<>();
        synchronized (c) {
            if (c.handle != handle) {
                return true;
            }
            c.exitWaiters.add(done);
        }
        try {
            if (timeout == null) {
                done.get();
            } else {
                done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    // --- wait ------------------------------------------------------------------------------------------------

    /** Docker's wait conditions. */
    public enum WaitCondition {
        NOT_RUNNING, NEXT_EXIT, REMOVED;

        public static WaitCondition parse(String wire) throws ContainerException {
            if (wire == null || wire.isEmpty()) {
                return NOT_RUNNING;
            }
            return switch (wire) {
                case "not-running" -> NOT_RUNNING;
                case "next-exit" -> NEXT_EXIT;
                case "removed" -> REMOVED;
                default -> throw new ContainerException(Reason.INVALID, "invalid condition: \"" + wire + "\"");
            };
        }
    }

    /**
     * Registers a wait; the future completes with the state at the moment the condition holds. Registration is
     * synchronous, so a caller that waits and then starts the container cannot miss the exit.
     */
    public CompletableFuture<ContainerState> waitFor(String ref, WaitCondition condition) throws ContainerException {
        Container c = find(ref);
        CompletableFuture<ContainerState> future = new CompletableFuture<>();
        synchronized (c) {
            switch (condition) {
                case NOT_RUNNING -> {
                    if (c.record.state().running()) {
                        c.exitWaiters.add(future);
                    } else {
                        future.complete(c.record.state());
                    }
                }
                case NEXT_EXIT -> c.exitWaiters.add(future);
                case REMOVED -> c.removeWaiters.add(future);
            }
        }
        return future;
    }

    /** Completes with the runtime handle once the container runs (now, or at its next start). */
    public CompletableFuture<RunningContainer> whenStarted(String ref) throws ContainerException {
        Container c = find(ref);
        CompletableFuture<RunningContainer> future = new CompletableFuture<>();
        synchronized (c) {
            if (c.handle != null) {
                future.complete(c.handle);
            } else {
                c.startWaiters.add(future);
            }
        }
        return future;
    }

    // --- remove, rename -------------------------------------------------------------------------------------

    /**
     * Removes the container: refused (409) while it runs unless {@code force}, which kills it first. Afterwards
     * nothing of it is left: no mount, no snapshot, no cgroup, no directory.
     */
    public void remove(String ref, boolean force) throws ContainerException, IOException {
        Container c = find(ref);
        RunningContainer handle;
        synchronized (c) {
            if (c.removing) {
                throw new ContainerException(Reason.CONFLICT, "removal of container " + c.id()
                        + " is already in progress");
            }
            handle = c.handle;
            if (handle != null && !force) {
                throw new ContainerException(Reason.CONFLICT, "You cannot remove a running container " + c.id()
                        + ". Stop the container before attempting removal or force remove");
            }
            c.removing = true;
        }
        try {
            if (handle != null) {
                handle.signal(Signals.SIGKILL);
                awaitExit(c, handle, Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (c) {
                c.removing = false;
            }
            throw new ContainerException(Reason.FAILED, "interrupted while killing " + c.id());
        }
        synchronized (c) {
            if (c.handle != null) {
                release(c, c.handle);
            }
            execs.values().removeIf(e -> e.containerId().equals(c.id()));
            network.release(c.id());
            snapshots.unmount(store.dir(c.id()).resolve("rootfs"));
            if (snapshots.exists(c.id())) {
                snapshots.remove(c.id());
            }
            deleteRunDirs(c.id());
            store.delete(c.id());
            byId.remove(c.id());
            idByName.remove(c.record.name(), c.id());
            for (CompletableFuture<ContainerState> waiter : c.removeWaiters) {
                waiter.complete(c.record.state());
            }
            c.removeWaiters.clear();
            for (CompletableFuture<RunningContainer> waiter : c.startWaiters) {
                waiter.cancel(false);
            }
            c.startWaiters.clear();
        }
    }

    private void deleteRunDirs(String id) throws IOException {
        String prefix = id.substring(0, 16);
        if (!Files.isDirectory(runRoot)) {
            return;
        }
        try (var dirs = Files.newDirectoryStream(runRoot, prefix + "*")) {
            for (Path dir : dirs) {
                FileTrees.delete(dir);
            }
        }
    }

    public void rename(String ref, String newName) throws ContainerException, IOException {
        Container c = find(ref);
        String name = Names.validName(newName);
        synchronized (c) {
            String holder = idByName.putIfAbsent(name, c.id());
            if (holder != null && !holder.equals(c.id())) {
                throw new ContainerException(Reason.CONFLICT, "Conflict. The container name \"/" + name
                        + "\" is already in use by container \"" + holder + "\"");
            }
            idByName.remove(c.record.name(), c.id());
            c.record = c.record.withName(name);
            store.save(c.record);
        }
    }

    // --- exec ----------------------------------------------------------------------------------------------

    public ExecInstance createExec(String ref, List<String> cmd, List<String> env, String workingDir, String user,
                                   boolean tty, boolean attachStdin, boolean attachStdout, boolean attachStderr)
            throws ContainerException {
        Container c = find(ref);
        if (cmd == null || cmd.isEmpty()) {
            throw new ContainerException(Reason.INVALID, "No exec command specified");
        }
        synchronized (c) {
            if (c.handle == null) {
                throw new ContainerException(Reason.CONFLICT, "Container " + c.id() + " is not running");
            }
            String execId = Names.newId();
            ContainerSpec spec = c.record.spec();
            Path stateDir = execDir(c.id(), execId);
            ContainerRuntime.ExecSpec execSpec = new ContainerRuntime.ExecSpec(List.copyOf(cmd),
                    mergeEnv(spec.env(), env),
                    workingDir == null || workingDir.isEmpty() ? spec.workingDir() : workingDir,
                    user == null || user.isEmpty() ? spec.user() : user, tty, attachStdin, stateDir);
            ExecInstance exec = new ExecInstance(execId, c.id(), execSpec, attachStdin, attachStdout, attachStderr);
            execs.put(execId, exec);
            return exec;
        }
    }

    /** Ids of the container's exec instances, as inspect's ExecIDs lists them. */
    public List<String> execIds(String containerId) {
        return execs.values().stream().filter(e -> e.containerId().equals(containerId)).map(ExecInstance::id)
                .toList();
    }

    public ExecInstance exec(String execId) throws ContainerException {
        ExecInstance exec = execs.get(execId);
        if (exec == null) {
            throw new ContainerException(Reason.NOT_FOUND, "No such exec instance: " + execId);
        }
        return exec;
    }

    /** Starts a created exec process; its exit is recorded on the instance and its runtime handle released. */
    public RunningContainer startExec(String execId) throws ContainerException, IOException {
        ExecInstance exec = exec(execId);
        Container c = find(exec.containerId());
        RunningContainer handle;
        synchronized (c) {
            synchronized (exec) {
                if (exec.started()) {
                    throw new ContainerException(Reason.CONFLICT, "exec " + execId + " has already been started");
                }
                if (c.handle == null) {
                    throw new ContainerException(Reason.CONFLICT, "Container " + c.id() + " is not running");
                }
                Files.createDirectories(exec.stateDir());
                try {
                    handle = runtime.exec(c.handle, exec.spec());
                } catch (RuntimeFailure e) {
                    exec.exited(126);
                    throw new ContainerException(Reason.FAILED, "exec failed: " + e.getMessage(), e);
                }
                exec.started(handle);
            }
        }
        handle.onExit().whenCompleteAsync((status, failure) -> {
            exec.exited(failure == null ? status.exitCode() : 255);
            try {
                handle.destroy();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "exec cleanup failed", e);
            }
        }, async);
        return handle;
    }

    // --- engine restart ---------------------------------------------------------------------------------------

    /**
     * Loads every persisted container and re-adopts those recorded as running: still-running ones get their
     * handle back, ones that ended while the engine was away get their real exit status recorded.
     */
    public void recover() throws IOException {
        for (ContainerRecord record : store.loadAll()) {
            Container c = new Container(record);
            byId.put(record.id(), c);
            idByName.put(record.name(), record.id());
            if (!record.state().running()) {
                continue;
            }
            Optional<RunningContainer> adopted = runtime.adopt(runDir(record.id()));
            synchronized (c) {
                if (adopted.isEmpty()) {
                    c.record = record.withState(record.state().exited(255, false, Instant.now(),
                            "container state was lost while the engine was down"));
                    store.save(c.record);
                    continue;
                }
                c.handle = adopted.get();
            }
            watchExit(c, adopted.get());
        }
        List<String> running = new ArrayList<>();
        for (Container c : byId.values()) {
            synchronized (c) {
                if (c.handle != null) {
                    running.add(c.id());
                }
            }
        }
        network.recover(List.copyOf(byId.keySet()), running);
        LOG.info(() -> "recovered " + byId.size() + " containers");
    }
}
