package dev.slipway.engine.cgroup.v2;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** memory.max with memory.swap.max 0 (swap off); OOM kills counted in memory.events. */
final class Memory implements Controller {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public boolean needed(Resources limits) {
        return limits.memoryBytes() != 0;
    }

    @Override
    public void apply(Path dir, Resources limits) throws IOException {
        boolean limited = limits.memoryBytes() != 0;
        CgroupFiles.write(dir.resolve("memory.max"), limited ? Long.toString(limits.memoryBytes()) : "max");
        Path swap = dir.resolve("memory.swap.max");
        if (Files.exists(swap)) { // absent when the kernel runs without swap accounting
            CgroupFiles.write(swap, limited ? "0" : "max");
        }
    }

    @Override
    public void stats(Path dir, CgroupCounters counters) throws IOException {
        counters.memoryCurrentBytes = CgroupFiles.readLong(dir.resolve("memory.current"));
        counters.memoryPeakBytes = CgroupFiles.readLong(dir.resolve("memory.peak")); // Linux 5.19+
        counters.memoryLimitBytes = CgroupFiles.readLong(dir.resolve("memory.max"));
        counters.oomKills = CgroupFiles.readKey(dir.resolve("memory.events"), "oom_kill");
    }
}
