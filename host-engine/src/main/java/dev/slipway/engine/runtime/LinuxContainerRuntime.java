package dev.slipway.engine.runtime;

import dev.slipway.engine.capability.Capability;
import dev.slipway.engine.cgroup.Cgroup;
import dev.slipway.engine.cgroup.CgroupDetector;
import dev.slipway.engine.cgroup.CgroupManager;
import dev.slipway.engine.mount.MaskedPaths;
import dev.slipway.engine.namespace.NetworkNamespaces;
import dev.slipway.engine.seccomp.DefaultSeccompProfile;
import dev.slipway.engine.seccomp.SeccompFilterCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runtime on a Linux host: Java prepares (cgroup with limits, seccomp program, launch spec), the C
 * launcher does everything between fork and exec and stays as the container's monitor. See
 * docs/engine-runtime.md.
 */
public final class LinuxContainerRuntime implements ContainerRuntime {
    static final String SECCOMP_FILE = "seccomp.bpf";
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path monitor;
    private final CgroupManager cgroups;
    private final byte[] seccompFilter;
    private final Set<Capability> capabilities;
    private final LogRotation logRotation;

    /**
     * When the monitor rotates a container's log: the current file is renamed once it reaches {@code maxBytes};
     * {@code maxFiles} older files are kept (Docker's json-file max-size / max-file).
     */
    public record LogRotation(long maxBytes, int maxFiles) {
        public static final LogRotation DEFAULT = new LogRotation(10L << 20, 3);

        public LogRotation {
            if (maxBytes < 4096 || maxFiles < 0 || maxFiles > 1000) {
                throw new IllegalArgumentException("log rotation needs maxBytes >= 4096 and 0-1000 files");
            }
        }
    }

    /**
     * The production wiring: installs the monitor binary under {@code dataDir/bin}, detects the host's cgroup
     * version and compiles Docker's default seccomp profile.
     */
    public static LinuxContainerRuntime create(Path dataDir) throws IOException {
        return new LinuxContainerRuntime(MonitorBinary.install(dataDir), CgroupDetector.detect(),
                SeccompFilterCompiler.compile(DefaultSeccompProfile.rules()));
    }

    public LinuxContainerRuntime(Path monitor, CgroupManager cgroups, byte[] seccompFilter) {
        this(monitor, cgroups, seccompFilter, LogRotation.DEFAULT);
    }

    public LinuxContainerRuntime(Path monitor, CgroupManager cgroups, byte[] seccompFilter, LogRotation logRotation) {
        this.logRotation = logRotation;
        this.monitor = monitor;
        this.cgroups = cgroups;
        this.seccompFilter = seccompFilter.clone();
        Set<Capability> caps = Capability.dockerDefault();
        if (cgroups.version().equals("v2")) {
            // v2 controls devices with an eBPF program Slipway does not attach yet: without it MKNOD would let
            // root inside create and open host block devices, so the capability goes.
            caps.remove(Capability.MKNOD);
        }
        this.capabilities = caps;
    }

    @Override
    public String cgroupVersion() {
        return cgroups.version();
    }

    public CgroupManager cgroups() {
        return cgroups;
    }

    @Override
    public RunningContainer start(RuntimeSpec spec) throws RuntimeFailure, IOException {
        checkStateDir(spec.stateDir());
        if (!Files.isDirectory(spec.rootfs())) {
            throw new RuntimeFailure("rootfs " + spec.rootfs() + " is not a directory");
        }
        if (spec.args().isEmpty()) {
            throw new RuntimeFailure("no command given (empty args)");
        }
        Cgroup cgroup = cgroups.create(CgroupManager.checkName(spec.id()), spec.resources());
        try {
            LaunchSpecFile file = common(spec.stateDir(), spec.args(), spec.env(), spec.workingDir(), spec.user(),
                    spec.tty(), spec.openStdin())
                    .put("id", spec.id())
                    .put("rootfs", spec.rootfs().toAbsolutePath())
                    .put("hostname", spec.hostname().isEmpty() ? spec.id().substring(0, Math.min(12, spec.id().length()))
                            : spec.hostname())
                    .put("net", NetworkNamespaces.specValue(spec.network()))
                    .putAll("cgroup", cgroup.procsFiles())
                    .putAll("mask", MaskedPaths.MASKED)
                    .putAll("readonly", MaskedPaths.READ_ONLY);
            if (cgroup.oomEventsFile() != null) {
                file.put("oom_file", cgroup.oomEventsFile());
            }
            for (Map.Entry<String, String> label : spec.labels().entrySet()) {
                file.put("label", label.getKey() + "=" + label.getValue());
            }
            launch("run", file.write(spec.stateDir()), spec.stateDir());
            return handle(spec.id(), spec.stateDir(), cgroup);
        } catch (RuntimeFailure | IOException | RuntimeException e) {
            try {
                cgroup.destroy();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public Optional<RunningContainer> adopt(Path stateDir) throws IOException {
        Optional<Map<String, Long>> state = StateFiles.read(stateDir.resolve(StateFiles.STATE));
        if (state.isEmpty() || !Files.exists(stateDir.resolve(LaunchSpecFile.NAME))) {
            return Optional.empty();
        }
        Map<String, List<String>> spec = LaunchSpecFile.read(stateDir);
        String id = spec.get("id").get(0);
        Cgroup cgroup = spec.containsKey("rootfs") ? cgroups.find(id).orElse(null) : null;
        return Optional.of(handle(id, stateDir, cgroup));
    }

    /** A handle from the state record the monitor wrote once the process had exec'd. */
    private static MonitoredProcess handle(String id, Path stateDir, Cgroup cgroup) throws IOException {
        Map<String, Long> state = StateFiles.read(stateDir.resolve(StateFiles.STATE))
                .orElseThrow(() -> new IOException("no state record in " + stateDir));
        return new MonitoredProcess(id, stateDir, state.get("pid").intValue(),
                StateFiles.instant(state.get("started_ns")), cgroup);
    }

    @Override
    public RunningContainer exec(RunningContainer container, ExecSpec exec) throws RuntimeFailure, IOException {
        if (!(container instanceof MonitoredProcess target) || target.cgroup() == null) {
            throw new IllegalArgumentException("exec needs a container handle from this runtime");
        }
        if (target.exitStatus().isPresent()) {
            throw new RuntimeFailure("container " + target.id() + " is not running");
        }
        checkStateDir(exec.stateDir());
        if (exec.args().isEmpty()) {
            throw new RuntimeFailure("no command given (empty args)");
        }
        String execId = target.id() + "-exec";
        LaunchSpecFile file = common(exec.stateDir(), exec.args(), exec.env(), exec.workingDir(), exec.user(),
                exec.tty(), exec.openStdin())
                .put("id", execId)
                .put("pid", target.pid())
                .putAll("cgroup", target.cgroup().procsFiles());
        launch("exec", file.write(exec.stateDir()), exec.stateDir());
        return handle(execId, exec.stateDir(), null);
    }

    /** What a container's init and an exec'd process share: identity, stdio, capabilities, seccomp. */
    private LaunchSpecFile common(Path stateDir, List<String> args, List<String> env, String workingDir,
                                  String user, boolean tty, boolean openStdin) throws IOException {
        Files.write(stateDir.resolve(SECCOMP_FILE), seccompFilter);
        List<String> environment = new ArrayList<>(env);
        if (environment.stream().noneMatch(e -> e.startsWith("PATH="))) {
            environment.add(0, DEFAULT_PATH);
        }
        LaunchSpecFile file = new LaunchSpecFile()
                .put("state_dir", stateDir.toAbsolutePath())
                .putAll("arg", args)
                .putAll("env", environment)
                .put("cwd", workingDir == null || workingDir.isEmpty() ? "/" : workingDir)
                .put("user", user == null ? "" : user)
                .put("tty", tty ? 1 : 0)
                .put("stdin", openStdin ? 1 : 0)
                .put("seccomp", stateDir.toAbsolutePath().resolve(SECCOMP_FILE))
                .put("log_max_bytes", logRotation.maxBytes())
                .put("log_max_files", logRotation.maxFiles());
        for (Capability cap : capabilities) {
            file.put("cap", cap.number());
        }
        return file;
    }

    /** Runs the launcher, which returns once the process has exec'd (or failed, leaving nothing behind). */
    private void launch(String mode, Path specFile, Path stateDir) throws RuntimeFailure, IOException {
        Process launcher = new ProcessBuilder(monitor.toString(), mode, specFile.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(launcher.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int code;
        try {
            code = launcher.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while launching", e);
        }
        if (code != 0 || !out.startsWith("ok ")) {
            for (String leftover : List.of(MonitorConnection.SOCKET, "log", SECCOMP_FILE, LaunchSpecFile.NAME)) {
                Files.deleteIfExists(stateDir.resolve(leftover));
            }
            throw new RuntimeFailure(err.isEmpty() ? "launcher exited with " + code : err);
        }
    }

    private static void checkStateDir(Path stateDir) throws RuntimeFailure {
        if (!stateDir.isAbsolute() || !Files.isDirectory(stateDir)) {
            throw new RuntimeFailure("state dir " + stateDir + " must be an existing absolute directory");
        }
        int length = stateDir.resolve(MonitorConnection.SOCKET).toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MonitorConnection.MAX_SOCKET_PATH) {
            throw new RuntimeFailure("state dir path too long for a unix socket (" + length + " > "
                    + MonitorConnection.MAX_SOCKET_PATH + " bytes): " + stateDir);
        }
    }
}
