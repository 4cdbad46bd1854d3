package dev.slipway.engine.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cgroup v1 on this host's real hierarchies (/sys/fs/cgroup/<controller>). */
class CgroupV1Test extends CgroupManagerContract {
    private static final List<String> HIERARCHIES = List.of("memory", "cpu", "cpuacct", "pids", "devices", "freezer");

    @Override
    protected CgroupManager manager() throws IOException {
        CgroupManager m = CgroupDetector.detect();
        assertEquals("v1", m.version(), "this host mounts cgroup v1; the detector must pick it");
        return m;
    }

    @Override
    protected List<Path> directories(String name) {
        return HIERARCHIES.stream().map(h -> Path.of("/sys/fs/cgroup", h, "slipway", name)).toList();
    }

    private Path dir(String hierarchy, Cgroup g) {
        return Path.of("/sys/fs/cgroup", hierarchy, "slipway", g.name());
    }

    @Test
    void limitsAreWrittenWithSwapOffAndCanBeChanged() throws IOException {
        Cgroup g = create(new Resources(64L << 20, 1_500_000_000L, 512, 50));
        assertEquals(64L << 20, CgroupFiles.readLong(dir("memory", g).resolve("memory.limit_in_bytes")));
        assertEquals(64L << 20, CgroupFiles.readLong(dir("memory", g).resolve("memory.memsw.limit_in_bytes")),
                "memory+swap equal to memory: no swap");
        assertEquals(150_000, CgroupFiles.readLong(dir("cpu", g).resolve("cpu.cfs_quota_us")));
        assertEquals(100_000, CgroupFiles.readLong(dir("cpu", g).resolve("cpu.cfs_period_us")));
        assertEquals(512, CgroupFiles.readLong(dir("cpu", g).resolve("cpu.shares")));
        assertEquals(50, CgroupFiles.readLong(dir("pids", g).resolve("pids.max")));
        assertEquals("c 1:3 rwm", CgroupFiles.read(dir("devices", g).resolve("devices.list")).lines()
                .filter(l -> l.startsWith("c 1:3")).findFirst().orElseThrow());

        g.apply(new Resources(128L << 20, 0, 0, 0)); // raising memory needs memsw first
        assertEquals(128L << 20, CgroupFiles.readLong(dir("memory", g).resolve("memory.limit_in_bytes")));
        assertEquals(-1, CgroupFiles.readLong(dir("cpu", g).resolve("cpu.cfs_quota_us")));
        assertEquals(-1, CgroupFiles.readLong(dir("pids", g).resolve("pids.max")));
        g.apply(new Resources(32L << 20, 0, 0, 0)); // lowering needs memory first
        assertEquals(32L << 20, CgroupFiles.readLong(dir("memory", g).resolve("memory.memsw.limit_in_bytes")));
        var stats = g.stats();
        assertEquals(32L << 20, stats.memoryLimitBytes());
        assertTrue(stats.memoryCurrentBytes() >= 0 && stats.memoryPeakBytes() >= 0, stats.toString());
    }

    @Test
    void aLimitBelowDockersMinimumIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> create(new Resources(1 << 20, 0, 0, 0)));
        assertTrue(e.getMessage().contains("at least 6 MiB"), e.getMessage());
    }
}
