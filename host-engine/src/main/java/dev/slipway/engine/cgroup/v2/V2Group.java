package dev.slipway.engine.cgroup.v2;

import dev.slipway.engine.cgroup.Cgroup;
import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.libc.LibC;
import dev.slipway.engine.runtime.RunningContainer.CgroupStats;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A container's v2 group: one directory. */
final class V2Group implements Cgroup {
    private static final int SIGKILL = 9;
    private final String name;
    private final Path dir;
    private final List<Controller> controllers;

    V2Group(String name, Path dir, List<Controller> controllers) {
        this.name = name;
        this.dir = dir;
        this.controllers = controllers;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Path> procsFiles() {
        return List.of(dir.resolve("cgroup.procs"));
    }

    @Override
    public Path oomEventsFile() {
        return controllers.stream().anyMatch(c -> c instanceof Memory) ? dir.resolve("memory.events") : null;
    }

    @Override
    public void apply(Resources limits) throws IOException {
        for (Controller c : controllers) {
            c.apply(dir, limits);
        }
    }

    @Override
    public void addProcess(int pid) throws IOException {
        CgroupFiles.write(dir.resolve("cgroup.procs"), Integer.toString(pid));
    }

    @Override
    public List<Integer> pids() throws IOException {
        return CgroupFiles.readPids(dir.resolve("cgroup.procs"));
    }

    @Override
    public CgroupStats stats() throws IOException {
        CgroupCounters counters = new CgroupCounters();
        long usec = CgroupFiles.readKey(dir.resolve("cpu.stat"), "usage_usec");
        counters.cpuUsageNanos = usec < 0 ? -1 : usec * 1000;
        for (Controller c : controllers) {
            c.stats(dir, counters);
        }
        if (counters.pidsCurrent < 0) {
            counters.pidsCurrent = pids().size();
        }
        return counters.toStats();
    }

    @Override
    public long oomKills() throws IOException {
        Path events = oomEventsFile();
        return events == null ? 0 : Math.max(0, CgroupFiles.readKey(events, "oom_kill"));
    }

    /** cgroup.kill (Linux 5.14+) kills the whole subtree atomically; older kernels freeze, kill and thaw. */
    @Override
    public void killAll() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path kill = dir.resolve("cgroup.kill");
        for (int round = 0; round < 500; round++) {
            if (CgroupFiles.readKey(dir.resolve("cgroup.events"), "populated") == 0) {
                return;
            }
            if (round % 50 == 0) {
                if (Files.exists(kill)) {
                    CgroupFiles.write(kill, "1");
                } else {
                    CgroupFiles.write(dir.resolve("cgroup.freeze"), "1");
                    for (int pid : pids()) {
                        LibC.INSTANCE.kill(pid, SIGKILL);
                    }
                    CgroupFiles.write(dir.resolve("cgroup.freeze"), "0");
                }
            }
            CgroupFiles.pause(10);
        }
        throw new IOException("cgroup " + name + " still populated after SIGKILL: " + pids());
    }

    @Override
    public void destroy() throws IOException {
        killAll();
        CgroupFiles.removeDir(dir);
    }
}
