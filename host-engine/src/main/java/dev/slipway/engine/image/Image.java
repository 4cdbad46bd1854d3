package dev.slipway.engine.image;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An image as stored on this host.
 *
 * @param id          digest of the config blob ({@code sha256:...}), Docker's image id
 * @param repoTags    {@code name:tag} references pointing at it
 * @param repoDigests {@code name@sha256:...} manifest digests it was pulled or loaded by
 * @param diffIds     uncompressed layer digests, bottom first (rootfs.diff_ids)
 * @param size        total unpacked size in bytes
 * @param config      the parts of the image config a container uses
 */
public record Image(String id, List<String> repoTags, List<String> repoDigests, List<String> diffIds,
                    Instant created, long size, Config config) {

    /** The runtime config of an OCI/Docker image; lists are empty (never null) when unset. */
    public record Config(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                         String user, List<String> exposedPorts, Map<String, String> labels,
                         String stopSignal, String architecture, String os) {
    }
}
