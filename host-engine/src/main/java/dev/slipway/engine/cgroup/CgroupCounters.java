package dev.slipway.engine.cgroup;

import dev.slipway.engine.runtime.RunningContainer.CgroupStats;

/** Collects the figures each controller contributes to one stats reading; -1 means "not provided". */
public final class CgroupCounters {
    public long cpuUsageNanos = -1;
    public long memoryCurrentBytes = -1;
    public long memoryPeakBytes = -1;
    public long memoryLimitBytes = -1;
    public long pidsCurrent = -1;
    public long pidsLimit = -1;
    public long oomKills = -1;

    public CgroupStats toStats() {
        return new CgroupStats(cpuUsageNanos, memoryCurrentBytes, memoryPeakBytes, memoryLimitBytes, pidsCurrent,
                pidsLimit, oomKills);
    }
}
