package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;

/** CPU time used by the group, in nanoseconds (cpuacct.usage). */
final class CpuAccounting implements Controller {
    @Override
    public String subsystem() {
        return "cpuacct";
    }

    @Override
    public void apply(Path dir, Resources limits) {
        // accounting only
    }

    @Override
    public void stats(Path dir, CgroupCounters counters) throws IOException {
        counters.cpuUsageNanos = CgroupFiles.readLong(dir.resolve("cpuacct.usage"));
    }
}
