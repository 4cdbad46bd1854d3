package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.cgroup.CgroupLimits;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;

/** CFS bandwidth (cpu.cfs_quota_us over a 100 ms period) and relative weight (cpu.shares). */
final class Cpu implements Controller {
    @Override
    public String subsystem() {
        return "cpu";
    }

    @Override
    public void apply(Path dir, Resources limits) throws IOException {
        CgroupFiles.write(dir.resolve("cpu.cfs_period_us"), Long.toString(CgroupLimits.CPU_PERIOD_US));
        CgroupFiles.write(dir.resolve("cpu.cfs_quota_us"), Long.toString(CgroupLimits.cpuQuotaMicros(limits)));
        CgroupFiles.write(dir.resolve("cpu.shares"), Long.toString(limits.cpuShares() == 0 ? 1024 : limits.cpuShares()));
    }

    @Override
    public void stats(Path dir, CgroupCounters counters) {
        // usage is cpuacct's figure
    }
}
