package dev.slipway.engine.cgroup.v2;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;

/** pids.max; fork fails with EAGAIN inside once reached. */
final class Pids implements Controller {
    @Override
    public String name() {
        return "pids";
    }

    @Override
    public boolean needed(Resources limits) {
        return limits.pidsLimit() != 0;
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
