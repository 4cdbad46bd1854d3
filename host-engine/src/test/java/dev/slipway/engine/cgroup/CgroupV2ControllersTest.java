package dev.slipway.engine.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.engine.cgroup.v2.CgroupV2;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the v2 controllers write and read, on a plain directory shaped like a cgroup2 mount with memory, cpu and
 * pids (this host cannot give cgroup2 those controllers; see CgroupV2Test). The kernel's own acceptance of these
 * values is therefore not exercised here.
 */
class CgroupV2ControllersTest {
    @TempDir
    Path root;

    @Test
    void limitsAndStatsUseTheV2FilesAndFormats() throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        CgroupV2 manager = new CgroupV2(root);
        Path dir = root.resolve("slipway").resolve("abc");
        Files.createDirectories(root.resolve("slipway"));
        Files.writeString(root.resolve("slipway").resolve("cgroup.controllers"), "cpu memory pids\n");
        // cgroupfs creates these files with the directory; create them ahead as an empty cgroupfs would have them
        Cgroup g = manager.create("abc", Resources.NONE);
        Files.writeString(dir.resolve("memory.swap.max"), "max\n");
        g.apply(new Resources(64L << 20, 500_000_000, 2048, 20));

        assertEquals("+memory +cpu +pids", Files.readString(root.resolve("cgroup.subtree_control")));
        assertEquals("+memory +cpu +pids", Files.readString(root.resolve("slipway/cgroup.subtree_control")));
        assertEquals(Long.toString(64L << 20), Files.readString(dir.resolve("memory.max")));
        assertEquals("0", Files.readString(dir.resolve("memory.swap.max")));
        assertEquals("50000 100000", Files.readString(dir.resolve("cpu.max")));
        assertEquals("79", Files.readString(dir.resolve("cpu.weight")));
        assertEquals("20", Files.readString(dir.resolve("pids.max")));
        assertEquals(dir.resolve("memory.events"), g.oomEventsFile());

        Files.writeString(dir.resolve("memory.current"), "1048576\n");
        Files.writeString(dir.resolve("memory.peak"), "2097152\n");
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        Files.writeString(dir.resolve("pids.current"), "4\n");
        Files.writeString(dir.resolve("cgroup.procs"), "");
        var stats = g.stats();
        assertEquals(1_500_000, stats.cpuUsageNanos());
        assertEquals(1048576, stats.memoryCurrentBytes());
        assertEquals(2097152, stats.memoryPeakBytes());
        assertEquals(64L << 20, stats.memoryLimitBytes());
        assertEquals(4, stats.pidsCurrent());
        assertEquals(20, stats.pidsLimit());
        assertEquals(1, g.oomKills());

        g.apply(Resources.NONE);
        assertEquals("max", Files.readString(dir.resolve("memory.max")));
        assertEquals("max", Files.readString(dir.resolve("memory.swap.max")));
        assertEquals("max 100000", Files.readString(dir.resolve("cpu.max")));
        assertEquals("100", Files.readString(dir.resolve("cpu.weight")));
        assertEquals("max", Files.readString(dir.resolve("pids.max")));
    }

    @Test
    void sharesMapOntoWeightsAsRuncDoes() {
        assertEquals(1, CgroupLimits.sharesToWeight(2));
        assertEquals(39, CgroupLimits.sharesToWeight(1024));
        assertEquals(10000, CgroupLimits.sharesToWeight(262144));
    }
}
