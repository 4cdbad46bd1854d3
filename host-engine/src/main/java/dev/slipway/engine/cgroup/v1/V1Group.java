package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.Cgroup;
import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.libc.LibC;
import dev.slipway.engine.runtime.RunningContainer.CgroupStats;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A container's group in every v1 hierarchy Slipway uses. */
final class V1Group implements Cgroup {
    private static final int SIGKILL = 9;
    private final String name;
    private final Map<Controller, Path> dirs;

    V1Group(String name, Map<Controller, Path> dirs) {
        this.name = name;
        this.dirs = dirs;
    }

    Path dir(String subsystem) {
        return dirs.entrySet().stream().filter(e -> e.getKey().subsystem().equals(subsystem)).findFirst()
                .orElseThrow().getValue();
    }

    List<Path> uniqueDirs() {
        return List.copyOf(new LinkedHashSet<>(dirs.values()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Path> procsFiles() {
        return uniqueDirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    public Path oomEventsFile() {
        return Memory.oomEvents(dir("memory"));
    }

    @Override
    public void apply(Resources limits) throws IOException {
        for (Map.Entry<Controller, Path> e : dirs.entrySet()) {
            e.getKey().apply(e.getValue(), limits);
        }
    }

    @Override
    public void addProcess(int pid) throws IOException {
        for (Path procs : procsFiles()) {
            CgroupFiles.write(procs, Integer.toString(pid));
        }
    }

    @Override
    public List<Integer> pids() throws IOException {
        return CgroupFiles.readPids(dir("freezer").resolve("cgroup.procs"));
    }

    @Override
    public CgroupStats stats() throws IOException {
        CgroupCounters counters = new CgroupCounters();
        for (Map.Entry<Controller, Path> e : dirs.entrySet()) {
            e.getKey().stats(e.getValue(), counters);
        }
        return counters.toStats();
    }

    @Override
    public long oomKills() throws IOException {
        return Math.max(0, CgroupFiles.readKey(oomEventsFile(), "oom_kill"));
    }

    @Override
    public void killAll() throws IOException {
        Path freezer = dir("freezer");
        if (!Files.isDirectory(freezer)) {
            return;
        }
        for (int round = 0; round < 100; round++) {
            Freezer.freeze(freezer);
            List<Integer> pids = pids();
            for (int pid : pids) {
                LibC.INSTANCE.kill(pid, SIGKILL);
            }
            Freezer.thaw(freezer);
            if (pids.isEmpty()) {
                return;
            }
            CgroupFiles.pause(5);
        }
        throw new IOException("cgroup " + name + " still has processes after SIGKILL: " + pids());
    }

    @Override
    public void destroy() throws IOException {
        killAll();
        for (Path dir : uniqueDirs()) {
            CgroupFiles.removeDir(dir);
        }
    }
}
