package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;

/** One v1 controller (subsystem): how limits are written into, and stats read from, a group's directory. */
interface Controller {

    /** The subsystem name as it appears in mount options and /proc/cgroups. */
    String subsystem();

    /** Writes the limits this controller enforces; called on an empty group and again on update. */
    void apply(Path dir, Resources limits) throws IOException;

    /** Adds this controller's figures. */
    void stats(Path dir, CgroupCounters counters) throws IOException;
}
