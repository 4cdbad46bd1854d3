package dev.slipway.engine.cgroup.v2;

import dev.slipway.engine.cgroup.CgroupCounters;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Path;

/** One v2 controller: its limits and figures in the group's single directory. */
interface Controller {

    /** The name in cgroup.controllers and cgroup.subtree_control. */
    String name();

    /** Whether {@code limits} needs this controller (a group without limits works without it). */
    boolean needed(Resources limits);

    void apply(Path dir, Resources limits) throws IOException;

    void stats(Path dir, CgroupCounters counters) throws IOException;
}
