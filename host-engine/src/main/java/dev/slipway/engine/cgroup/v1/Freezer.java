package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Freezing lets killAll be race-free on v1 (which has no cgroup.kill): a frozen group cannot fork while its
 * pids are read and killed; SIGKILL is delivered on thaw.
 */
final class Freezer implements Controller {
    @Override
    public String subsystem() {
        return "freezer";
    }

    @Override
    public void apply(Path dir, Resources limits) {
        // no limits
    }

    @Override
    public void stats(Path dir, CgroupCounters counters) {
        // no figures
    }

    static void freeze(Path dir) throws IOException {
        CgroupFiles.write(dir.resolve("freezer.state"), "FROZEN");
        for (int i = 0; i < 500 && !CgroupFiles.read(dir.resolve("freezer.state")).equals("FROZEN"); i++) {
            CgroupFiles.pause(2);
        }
    }

    static void thaw(Path dir) throws IOException {
        CgroupFiles.write(dir.resolve("freezer.state"), "THAWED");
    }
}
