package dev.slipway.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the runtime needs to launch one container. Immutable; built by the container service from the
 * image config and the user's create request (the user's values win).
 *
 * @param id         64 lowercase hex characters; also names the cgroup
 * @param stateDir   empty directory owned by this container: monitor pid, exit status, attach socket, logs
 * @param rootfs     already-mounted root filesystem (read-write view)
 * @param args       argv; args.get(0) is resolved against PATH inside the container
 * @param env        KEY=VALUE entries
 * @param workingDir absolute path inside the container ("/" if empty)
 * @param user       "" (root), "uid", "uid:gid", "name" or "name:group" resolved against the rootfs's /etc/passwd
 * @param hostname   the container's UTS hostname
 * @param tty        allocate a pty (stdout and stderr merged)
 * @param openStdin  keep stdin open for an attach client (docker run -i)
 * @param network    which network namespace the container joins
 * @param resources  cgroup limits
 * @param labels     free-form labels kept with the state (for adoption and listing)
 */
public record RuntimeSpec(String id, Path stateDir, Path rootfs, List<String> args, List<String> env,
                          String workingDir, String user, String hostname, boolean tty, boolean openStdin,
                          Network network, Resources resources, Map<String, String> labels) {

    /** How the container is networked; bridge networks hand the runtime a prepared namespace path. */
    public sealed interface Network {
        /** A new network namespace with only {@code lo}. */
        record None() implements Network { }
        /** The host's network namespace. */
        record Host() implements Network { }
        /** Join an existing network namespace, e.g. {@code /run/slipway/netns/<id>} prepared by the network driver. */
        record Join(Path netnsPath) implements Network { }
    }

    /**
     * cgroup limits; 0 means "no limit" for each field.
     *
     * @param memoryBytes   hard memory limit; swap is always disabled for limited containers
     * @param nanoCpus      CPU quota in billionths of a CPU (docker --cpus 0.5 = 500_000_000)
     * @param cpuShares     relative weight in v1 shares (1024 = default); converted to weight on v2
     * @param pidsLimit     maximum number of tasks
     */
    public record Resources(long memoryBytes, long nanoCpus, long cpuShares, long pidsLimit) {
        public static final Resources NONE = new Resources(0, 0, 0, 0);
    }
}
