package dev.slipway.engine.cgroup;

import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.util.Optional;

/**
 * Creates and finds the cgroups that hold containers, on one cgroup version of this host.
 *
 * <h2>Lifecycle of one cgroup</h2>
 * <pre>
 *   create(name, limits) ──► EMPTY ──(a process joins: Cgroup.procsFiles() or addProcess)──► POPULATED
 *        POPULATED ──(processes exit or killAll())──► EMPTY ──destroy()──► gone
 *        any state ──destroy()──► gone   (destroy kills what is left first)
 * </pre>
 * <ul>
 *   <li>{@link #create} makes the group under Slipway's parent group and applies the limits before any process
 *   is in it, so no process runs unlimited, not even for an instant. Creating a name that exists fails.</li>
 *   <li>A container's first process joins by writing to each file of {@link Cgroup#procsFiles()} itself
 *   before it execs (the C launcher does this); processes it forks are then in the group too.</li>
 *   <li>{@link Cgroup#apply} may be called again while populated (docker update).</li>
 *   <li>{@link Cgroup#stats} and {@link Cgroup#oomKills} read live counters; they work until destroy.</li>
 *   <li>{@link #find} finds a group made by an earlier engine process (after a restart); groups live in the
 *   kernel, not in the engine.</li>
 *   <li>{@link Cgroup#destroy} kills every process, waits until the kernel has emptied the group and removes
 *   it. It is idempotent.</li>
 * </ul>
 * Names are a container id: lowercase hex, 1 to 64 characters. Implementations are thread-safe.
 */
public interface CgroupManager {

    /** "v1" or "v2". */
    String version();

    /** Creates the group {@code name} with {@code limits} applied. */
    Cgroup create(String name, Resources limits) throws IOException;

    /** The existing group {@code name}, if any. */
    Optional<Cgroup> find(String name) throws IOException;

    /** Rejects names that could leave Slipway's parent group. */
    static String checkName(String name) {
        if (name == null || !name.matches("[0-9a-f]{1,64}")) {
            throw new IllegalArgumentException("cgroup name must be 1-64 lowercase hex characters: " + name);
        }
        return name;
    }
}
