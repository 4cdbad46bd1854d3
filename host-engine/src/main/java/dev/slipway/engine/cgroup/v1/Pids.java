package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;

/** Task limit: fork and clone fail with EAGAIN inside the group once pids.max tasks exist. */
final class Pids implements Controller {
    @Override
    public String subsystem() {
        return "pids";
    }

    @Override
    public void apply(Path dir, Resources limits) throws IOException {
        CgroupFiles.write(dir.resolve("pids.max"), limits.pidsLimit() == 0 ? "max" : Long.toString(limits.pidsLimit()));
    }

    @Override
    public void stats(Path dir, CgroupCounters counters) throws IOException {
        counters.pidsCurrent = CgroupFiles.readLong(dir.resolve("pids.current"));
        counters.pidsLimit = CgroupFiles.readLong(dir.resolve("pids.max"));
    }
}
