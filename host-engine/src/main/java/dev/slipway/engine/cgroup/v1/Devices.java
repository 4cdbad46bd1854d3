package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Device access: containers keep CAP_MKNOD (Docker's default set), so without this rule root inside could
 * create and open a node for the host's disk. Everything is denied except the nodes the runtime creates in
 * /dev, ptys, and mknod itself (creating a node is harmless when it cannot be opened).
 */
final class Devices implements Controller {
    static final List<String> ALLOWED = List.of(
            "c *:* m", "b *:* m",
            "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", // null zero full random urandom
            "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", // tty console ptmx
            "c 136:* rwm"); // pty slaves

    @Override
    public String subsystem() {
        return "devices";
    }

    @Override
    public void apply(Path dir, Resources limits) throws IOException {
        CgroupFiles.write(dir.resolve("devices.deny"), "a");
        for (String rule : ALLOWED) {
            CgroupFiles.write(dir.resolve("devices.allow"), rule);
        }
    }

    @Override
    public void stats(Path dir, CgroupCounters counters) {
        // no figures
    }
}
