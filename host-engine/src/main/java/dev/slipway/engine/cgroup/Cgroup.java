package dev.slipway.engine.cgroup;

import dev.slipway.engine.runtime.RunningContainer.CgroupStats;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One container's cgroup; see {@link CgroupManager} for its lifecycle. */
public interface Cgroup {

    String name();

    /** Files a process writes "0" into to join this group (one per v1 hierarchy, one on v2). */
    List<Path> procsFiles();

    /** File with an {@code oom_kill N} line (v1 memory.oom_control, v2 memory.events); null without memory. */
    Path oomEventsFile();

    /** Applies {@code limits}; 0 fields lift the limit. */
    void apply(Resources limits) throws IOException;

    /** Moves process {@code pid} (and, on v1, only that process) into the group. */
    void addProcess(int pid) throws IOException;

    /** Pids of the processes in the group. */
    List<Integer> pids() throws IOException;

    CgroupStats stats() throws IOException;

    /** How many times the kernel's OOM killer killed a process of this group. */
    long oomKills() throws IOException;

    /** Kills every process in the group and waits until the group is empty. */
    void killAll() throws IOException;

    /** killAll, then removes the group. Idempotent. */
    void destroy() throws IOException;
}
