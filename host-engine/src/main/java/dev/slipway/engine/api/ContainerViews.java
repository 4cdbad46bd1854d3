package dev.slipway.engine.api;

import dev.slipway.engine.container.ContainerRecord;
import dev.slipway.engine.container.ContainerSpec;
import dev.slipway.engine.container.ContainerState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders container records as Docker's JSON: the list summary of {@code ps} and the {@code inspect} document. */
final class ContainerViews {

    private ContainerViews() {
    }

    static Map<String, Object> summary(ContainerRecord r) {
        ContainerSpec s = r.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Names", List.of("/" + r.name()));
        m.put("Image", s.image());
        m.put("ImageID", s.imageId());
        m.put("Command", String.join(" ", s.args()));
        m.put("Created", r.created().getEpochSecond());
        m.put("Ports", List.of());
        m.put("Labels", s.labels());
        m.put("State", r.state().status().wire());
        m.put("Status", status(r.state(), Instant.now()));
        m.put("HostConfig", Map.of("NetworkMode", s.networkMode()));
        m.put("NetworkSettings", Map.of("Networks", Map.of()));
        m.put("Mounts", List.of());
        return m;
    }

    /** The Status column of docker ps: "Up 5 seconds", "Exited (3) 2 minutes ago", "Created". */
    static String status(ContainerState st, Instant now) {
        return switch (st.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + DockerTime.human(Duration.between(st.startedAt(), now));
            case EXITED -> st.finishedAt() == null ? "Exited (" + st.exitCode() + ")"
                    : "Exited (" + st.exitCode() + ") " + DockerTime.human(Duration.between(st.finishedAt(), now))
                            + " ago";
        };
    }

    static Map<String, Object> inspect(ContainerRecord r, List<String> execIds, String runDir) {
        ContainerSpec s = r.spec();
        ContainerState st = r.state();
        List<String> args = s.args();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Created", DockerTime.rfc3339(r.created()));
        m.put("Path", args.isEmpty() ? "" : args.get(0));
        m.put("Args", args.size() > 1 ? args.subList(1, args.size()) : List.of());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", st.status().wire());
        state.put("Running", st.running());
        state.put("Paused", false);
        state.put("Restarting", false);
        state.put("OOMKilled", st.oomKilled());
        state.put("Dead", false);
        state.put("Pid", st.pid());
        state.put("ExitCode", st.exitCode());
        state.put("Error", st.error());
        state.put("StartedAt", DockerTime.rfc3339(st.startedAt()));
        state.put("FinishedAt", DockerTime.rfc3339(st.finishedAt()));
        m.put("State", state);
        m.put("Image", s.imageId());
        m.put("ResolvConfPath", "");
        m.put("HostnamePath", "");
        m.put("HostsPath", "");
        m.put("LogPath", runDir);
        m.put("Name", "/" + r.name());
        m.put("RestartCount", st.restartCount());
        m.put("Driver", "overlay");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", execIds.isEmpty() ? null : execIds);
        m.put("HostConfig", hostConfig(s));
        m.put("GraphDriver", Map.of("Name", "overlay", "Data", Map.of()));
        m.put("Mounts", List.of());
        m.put("Config", config(s));
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("Bridge", "");
        net.put("SandboxID", "");
        net.put("SandboxKey", "");
        net.put("Ports", Map.of());
        net.put("Networks", Map.of());
        m.put("NetworkSettings", net);
        return m;
    }

    private static Map<String, Object> hostConfig(ContainerSpec s) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("NetworkMode", s.networkMode());
        h.put("AutoRemove", s.autoRemove());
        h.put("Memory", s.memory());
        // Swap is always off for limited containers, which Docker expresses as MemorySwap == Memory.
        h.put("MemorySwap", s.memory() > 0 ? s.memory() : 0);
        h.put("NanoCpus", s.nanoCpus());
        h.put("CpuShares", s.cpuShares());
        h.put("PidsLimit", s.pidsLimit() > 0 ? s.pidsLimit() : null);
        h.put("RestartPolicy", Map.of("Name", "no", "MaximumRetryCount", 0));
        h.put("LogConfig", Map.of("Type", "local", "Config", Map.of()));
        h.put("Privileged", false);
        h.put("ReadonlyRootfs", false);
        h.put("Binds", null);
        h.put("PortBindings", Map.of());
        return h;
    }

    private static Map<String, Object> config(ContainerSpec s) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Hostname", s.hostname());
        c.put("Domainname", s.domainname());
        c.put("User", s.user());
        c.put("AttachStdin", s.attachStdin());
        c.put("AttachStdout", s.attachStdout());
        c.put("AttachStderr", s.attachStderr());
        c.put("Tty", s.tty());
        c.put("OpenStdin", s.openStdin());
        c.put("StdinOnce", s.stdinOnce());
        c.put("Env", s.env());
        c.put("Cmd", s.cmd().isEmpty() ? null : s.cmd());
        c.put("Image", s.image());
        c.put("Volumes", null);
        c.put("WorkingDir", s.workingDir());
        c.put("Entrypoint", s.entrypoint().isEmpty() ? null : s.entrypoint());
        c.put("OnBuild", null);
        c.put("Labels", s.labels());
        if (s.stopSignal() != null && !s.stopSignal().isEmpty()) {
            c.put("StopSignal", s.stopSignal());
        }
        if (s.stopTimeout() != null) {
            c.put("StopTimeout", s.stopTimeout());
        }
        return c;
    }
}
