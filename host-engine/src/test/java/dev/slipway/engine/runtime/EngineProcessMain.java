package dev.slipway.engine.runtime;

import dev.slipway.engine.cgroup.CgroupDetector;
import dev.slipway.engine.runtime.RuntimeSpec.Network;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import dev.slipway.engine.seccomp.DefaultSeccompProfile;
import dev.slipway.engine.seccomp.SeccompFilterCompiler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A stand-in engine for {@link EngineRestartTest}: starts the containers given as (id, state dir, shell script)
 * triples, prints "started", and waits to be killed with SIGKILL.
 */
public final class EngineProcessMain {
    private EngineProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        Path rootfs = Path.of(args[1]);
        ContainerRuntime runtime = new LinuxContainerRuntime(MonitorBinary.install(dataDir), CgroupDetector.detect(),
                SeccompFilterCompiler.compile(DefaultSeccompProfile.rules()));
        for (int i = 2; i + 2 < args.length + 1; i += 3) {
            runtime.start(new RuntimeSpec(args[i], Path.of(args[i + 1]), rootfs, List.of("sh", "-c", args[i + 2]),
                    List.of(), "/", "", "box", false, false, new Network.None(), Resources.NONE, Map.of()));
        }
        System.out.println("started");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
