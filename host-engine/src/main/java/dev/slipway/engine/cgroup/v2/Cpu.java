package dev.slipway.engine.cgroup.v2;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.cgroup.CgroupLimits;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;

/** cpu.max "quota period" and cpu.weight (converted from shares); usage from cpu.stat. */
final class Cpu implements Controller {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean needed(Resources limits) {
        return limits.nanoCpus() != 0 || limits.cpuShares() != 0;
    }

    @Override
    public void apply(Path dir, Resources limits) throws IOException {
        long quota = CgroupLimits.cpuQuotaMicros(limits);
        CgroupFiles.write(dir.resolve("cpu.max"), (quota < 0 ? "max" : Long.toString(quota)) + " "
                + CgroupLimits.CPU_PERIOD_US);
        // unset shares mean the kernel's default weight (100), not the conversion of 1024 (39)
        long weight = limits.cpuShares() == 0 ? 100 : CgroupLimits.sharesToWeight(limits.cpuShares());
        CgroupFiles.write(dir.resolve("cpu.weight"), Long.toString(weight));
    }

    @Override
    public void stats(Path dir, CgroupCounters counters) {
        // cpu.stat exists without the controller; read by V2Group for every group
    }
}
