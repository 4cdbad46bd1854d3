package dev.slipway.engine.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Filesystem snapshots for image layers and containers, in the manner of containerd's snapshotters.
 *
 * <h2>Lifecycle</h2>
 * <pre>
 *   prepare(key, parent) ──► ACTIVE (writable; mounts(key) gives the view) ──commit(name, key)──► COMMITTED
 *        │                                                                                         │
 *        └────────────────remove(key)───────────────► gone ◄────────remove(name)──────────────────┘
 * </pre>
 * <ul>
 *   <li>Unpacking a layer: {@code prepare("extract-<diffId>", parentLayerName)}, unpack into
 *   {@link #writableDir}, then {@code commit(layerName, key)}. A committed snapshot never changes.</li>
 *   <li>A container: {@code prepare(containerId, imageTopLayerName)}, then {@link #mount} at a target dir,
 *   {@link #unmount} when it stops, {@code remove(containerId)} on docker rm.</li>
 *   <li>A committed snapshot with children cannot be removed (IOException); removal leaves nothing mounted
 *   and nothing on disk.</li>
 * </ul>
 * Snapshot state is on disk under the snapshotter's root, so it survives engine restarts. Thread-safe.
 */
public interface Snapshotter {

    /** Creates an active snapshot on top of committed {@code parent} (null for an empty base). */
    void prepare(String key, String parent) throws IOException;

    /** Turns active snapshot {@code key} into committed snapshot {@code name}. */
    void commit(String name, String key) throws IOException;

    /** The directory to write into for an active snapshot (for unpacking a layer). */
    Path writableDir(String key) throws IOException;

    /** Mounts the merged view of active snapshot {@code key} at {@code target}. */
    void mount(String key, Path target) throws IOException;

    /** Unmounts whatever this snapshotter mounted at {@code target}; no-op if nothing is. */
    void unmount(Path target) throws IOException;

    /** Removes an active or committed (childless) snapshot. */
    void remove(String key) throws IOException;

    boolean exists(String key);

    /** Keys of all snapshots, committed and active. */
    List<String> list() throws IOException;

    /** Bytes used by this snapshot's own layer (not its parents). */
    long usage(String key) throws IOException;

    /** How a layer unpacked into {@link #writableDir} must record deletions for this snapshotter. */
    WhiteoutStyle whiteoutStyle();

    /** Parent of a snapshot (null for a base snapshot); IOException if {@code key} does not exist. */
    String parent(String key) throws IOException;
}
