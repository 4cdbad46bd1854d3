package dev.slipway.engine.container;

import dev.slipway.engine.network.NetworkOptions;
import java.util.List;
import java.util.Map;

/**
 * What a container was created with: the user's create request merged over the image's config (the user's values
 * win), fixed for the container's life. Field names follow Docker's Config and HostConfig.
 *
 * @param image       the reference the user gave (shown by ps)
 * @param imageId     the image's config digest at create time
 * @param networkMode "none", "host" or "default"
 * @param stopTimeout seconds between the stop signal and SIGKILL when the caller gives none; null for 10
 * @param networkOptions published ports and aliases (absent in records written before they existed)
 */
public record ContainerSpec(String image, String imageId, List<String> entrypoint, List<String> cmd,
                            List<String> env, String workingDir, String user, String hostname, String domainname,
                            boolean tty, boolean openStdin, boolean stdinOnce, boolean attachStdin,
                            boolean attachStdout, boolean attachStderr, Map<String, String> labels,
                            String stopSignal, Integer stopTimeout, long memory, long nanoCpus, long cpuShares,
                            long pidsLimit, String networkMode, boolean autoRemove,
                            NetworkOptions networkOptions) {

    public ContainerSpec {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        hostname = hostname == null ? "" : hostname;
        domainname = domainname == null ? "" : domainname;
        networkMode = networkMode == null || networkMode.isEmpty() ? "default" : networkMode;
        networkOptions = networkOptions == null ? NetworkOptions.NONE : networkOptions;
    }

    /** argv: entrypoint followed by cmd. */
    public List<String> args() {
        List<String> args = new java.util.ArrayList<>(entrypoint);
        args.addAll(cmd);
        return args;
    }
}
