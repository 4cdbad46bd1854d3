package dev.slipway.engine.container;

import dev.slipway.engine.network.NetworkOptions;
import java.util.List;
import java.util.Map;

/**
 * A {@code docker create} as the user asked for it, before the image's config fills the gaps. A null list means
 * "not given" (take the image's); an empty entrypoint given explicitly resets the image's.
 */
public record CreateRequest(String name, String image, List<String> entrypoint, List<String> cmd, List<String> env,
                            String workingDir, String user, String hostname, String domainname, boolean tty,
                            boolean openStdin, boolean stdinOnce, boolean attachStdin, boolean attachStdout,
                            boolean attachStderr, Map<String, String> labels, String stopSignal,
                            Integer stopTimeout, long memory, long nanoCpus, long cpuShares, long pidsLimit,
                            String networkMode, boolean autoRemove, NetworkOptions networkOptions) {

    public CreateRequest {
        networkOptions = networkOptions == null ? NetworkOptions.NONE : networkOptions;
    }

    /** The same request on another network (the one the engine resolved the requested mode to). */
    public CreateRequest withNetworkMode(String mode) {
        return new CreateRequest(name, image, entrypoint, cmd, env, workingDir, user, hostname, domainname, tty,
                openStdin, stdinOnce, attachStdin, attachStdout, attachStderr, labels, stopSignal, stopTimeout,
                memory, nanoCpus, cpuShares, pidsLimit, mode, autoRemove, networkOptions);
    }

    /** A request that publishes no port and names no alias. */
    public CreateRequest(String name, String image, List<String> entrypoint, List<String> cmd, List<String> env,
                         String workingDir, String user, String hostname, String domainname, boolean tty,
                         boolean openStdin, boolean stdinOnce, boolean attachStdin, boolean attachStdout,
                         boolean attachStderr, Map<String, String> labels, String stopSignal,
                         Integer stopTimeout, long memory, long nanoCpus, long cpuShares, long pidsLimit,
                         String networkMode, boolean autoRemove) {
        this(name, image, entrypoint, cmd, env, workingDir, user, hostname, domainname, tty, openStdin, stdinOnce,
                attachStdin, attachStdout, attachStderr, labels, stopSignal, stopTimeout, memory, nanoCpus,
                cpuShares, pidsLimit, networkMode, autoRemove, NetworkOptions.NONE);
    }
}
