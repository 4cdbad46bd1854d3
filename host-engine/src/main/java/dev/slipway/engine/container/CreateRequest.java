package dev.slipway.engine.container;

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
                            String networkMode, boolean autoRemove) {
}
