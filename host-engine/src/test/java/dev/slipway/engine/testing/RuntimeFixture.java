package dev.slipway.engine.testing;

import dev.slipway.engine.cgroup.CgroupDetector;
import dev.slipway.engine.runtime.ContainerLog;
import dev.slipway.engine.runtime.LinuxContainerRuntime;
import dev.slipway.engine.runtime.LogFileReader;
import dev.slipway.engine.runtime.MonitorBinary;
import dev.slipway.engine.runtime.RunningContainer;
import dev.slipway.engine.runtime.RunningContainer.ExitStatus;
import dev.slipway.engine.runtime.RuntimeSpec;
import dev.slipway.engine.runtime.RuntimeSpec.Network;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import dev.slipway.engine.seccomp.DefaultSeccompProfile;
import dev.slipway.engine.seccomp.SeccompFilterCompiler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One runtime and one busybox rootfs per test JVM, as the engine would have them. */
public final class RuntimeFixture {
    private static RuntimeFixture shared;

    public final Path dataDir;
    public final Path rootfs;
    public final Path monitor;
    public final LinuxContainerRuntime runtime;
    public final ContainerLog log = new LogFileReader();

    private RuntimeFixture() throws Exception {
        if (dev.slipway.engine.libc.LibC.INSTANCE.geteuid() != 0) {
            throw new IllegalStateException("runtime tests need root (namespaces, cgroups, mounts)");
        }
        // under target/, so `mvn clean` removes what a run leaves; emptied first, as a killed run leaves files
        dataDir = Path.of("target", "runtime-test").toAbsolutePath();
        removeDataDir();
        Files.createDirectories(dataDir);
        rootfs = BusyboxRootfs.create(dataDir.resolve("rootfs"));
        monitor = MonitorBinary.install(dataDir);
        runtime = new LinuxContainerRuntime(monitor, CgroupDetector.detect(),
                SeccompFilterCompiler.compile(DefaultSeccompProfile.rules()),
                new LinuxContainerRuntime.LogRotation(1 << 20, 20));
    }

    /** Containers are destroyed by the tests; their mounts lived in their own namespaces, so plain files remain. */
    private void removeDataDir() {
        if (!Files.exists(dataDir)) {
            return;
        }
        try (var paths = Files.walk(dataDir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + dataDir + ": " + e.getMessage());
        }
    }

    public static synchronized RuntimeFixture get() throws Exception {
        if (shared == null) {
            shared = new RuntimeFixture();
        }
        return shared;
    }

    public static String newId() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public Path newStateDir() throws IOException {
        return Files.createDirectories(dataDir.resolve("c").resolve(Long.toString(System.nanoTime(), 36)));
    }

    public RuntimeSpec spec(String... args) throws IOException {
        return spec(Resources.NONE, new Network.None(), args);
    }

    public RuntimeSpec spec(Resources resources, Network network, String... args) throws IOException {
        return new RuntimeSpec(newId(), newStateDir(), rootfs, List.of(args), List.of("GREETING=hi"), "/", "",
                "box", false, false, network, resources, Map.of("test", "yes"));
    }

    /** What a finished container left: its exit status and its output per stream. */
    public record Result(Path stateDir, ExitStatus exit, String stdout, String stderr) {
    }

    /** Starts, waits up to a minute for the end, reads the log, destroys. */
    public Result run(RuntimeSpec spec) throws Exception {
        RunningContainer c = runtime.start(spec);
        try {
            ExitStatus exit = c.onExit().get(60, TimeUnit.SECONDS);
            return new Result(spec.stateDir(), exit, output(spec.stateDir(), 1), output(spec.stateDir(), 2));
        } finally {
            c.destroy();
        }
    }

    /** The stream's records joined as lines (a partial record is not followed by a newline). */
    public String output(Path stateDir, int stream) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        log.read(stateDir, -1, -1, false, r -> r.stream() == stream, r -> {
            out.write(r.bytes());
            if (!r.partial()) {
                out.write('\n');
            }
            return true;
        });
        return out.toString(StandardCharsets.UTF_8);
    }
}
