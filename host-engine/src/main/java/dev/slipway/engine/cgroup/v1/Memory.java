package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory limit with swap off. With swap accounting (memory.memsw.* present) memory+swap is capped at the same
 * value, so the group can never swap; without it swappiness 0 keeps the kernel from swapping the group's
 * anonymous memory (the best v1 offers then).
 */
final class Memory implements Controller {
    private static final long UNLIMITED = -1;

    @Override
    public String subsystem() {
        return "memory";
    }

    @Override
    public void apply(Path dir, Resources limits) throws IOException {
        long limit = limits.memoryBytes() == 0 ? UNLIMITED : limits.memoryBytes();
        Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
        boolean swapAccounting = Files.exists(memsw);
        // memsw must stay >= the memory limit at every step: raise order depends on direction.
        long current = CgroupFiles.readLong(dir.resolve("memory.limit_in_bytes"));
        boolean raising = limit == UNLIMITED || limit > current;
        if (swapAccounting && raising) {
            CgroupFiles.write(memsw, Long.toString(limit));
        }
        CgroupFiles.write(dir.resolve("memory.limit_in_bytes"), Long.toString(limit));
        if (swapAccounting && !raising) {
            CgroupFiles.write(memsw, Long.toString(limit));
        }
        if (!swapAccounting && limit != UNLIMITED) {
            CgroupFiles.write(dir.resolve("memory.swappiness"), "0");
        }
    }

    @Override
    public void stats(Path dir, CgroupCounters counters) throws IOException {
        counters.memoryCurrentBytes = CgroupFiles.readLong(dir.resolve("memory.usage_in_bytes"));
        counters.memoryPeakBytes = CgroupFiles.readLong(dir.resolve("memory.max_usage_in_bytes"));
        long limit = CgroupFiles.readLong(dir.resolve("memory.limit_in_bytes"));
        // the kernel reports "no limit" as a page-rounded LONG_MAX
        counters.memoryLimitBytes = limit >= Long.MAX_VALUE / 2 ? -1 : limit;
        counters.oomKills = CgroupFiles.readKey(dir.resolve("memory.oom_control"), "oom_kill");
    }

    static Path oomEvents(Path dir) {
        return dir.resolve("memory.oom_control");
    }
}
