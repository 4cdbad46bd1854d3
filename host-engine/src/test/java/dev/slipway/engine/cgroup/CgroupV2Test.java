package dev.slipway.engine.cgroup;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.cgroup.v2.CgroupV2;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * cgroup v2 on this host's real cgroup2 mount. The host is hybrid: /sys/fs/cgroup/unified is a cgroup2 hierarchy
 * whose only controller is hugetlb (memory, cpu and pids are bound to v1 hierarchies, and the kernel refuses to
 * enable them there: writing "+pids" to cgroup.subtree_control fails with ENOENT). So this runs the lifecycle
 * (create, join, count, cgroup.kill, remove) for real; the limit files are covered by CgroupV2ControllersTest on
 * a directory tree shaped like cgroupfs.
 */
class CgroupV2Test extends CgroupManagerContract {
    private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");

    @Override
    protected CgroupManager manager() throws IOException {
        if (!Files.exists(UNIFIED.resolve("cgroup.controllers"))) {
            throw new IllegalStateException("this test needs the cgroup2 mount at " + UNIFIED);
        }
        return new CgroupV2(UNIFIED);
    }

    @Override
    protected List<Path> directories(String name) {
        return List.of(UNIFIED.resolve("slipway").resolve(name));
    }

    @Test
    void aLimitWhoseControllerTheHierarchyLacksIsRefusedNotIgnored() throws IOException {
        IOException e = assertThrows(IOException.class, () -> create(new Resources(64L << 20, 0, 0, 0)));
        assertTrue(e.getMessage().contains("the memory controller is not available in the cgroup2 hierarchy"),
                e.getMessage());
    }
}
