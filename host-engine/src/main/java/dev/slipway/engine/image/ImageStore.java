package dev.slipway.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The host's images: content-addressed blobs, image records and the unpacked layer snapshots they need.
 *
 * <h2>Lifecycle of one image</h2>
 * <pre>
 *   load(archive) / pull(ref) ──► blobs verified and stored ──► layers unpacked into committed snapshots
 *        ──► image record written (now visible to get/list) ──► remove(ref) ──► unreferenced blobs and
 *        snapshots collected
 * </pre>
 * An image becomes visible only once every blob is verified and every layer is unpacked: a failed or
 * interrupted load or pull leaves nothing visible and is safe to retry. Layers shared by images are stored and
 * unpacked once. Implementations are thread-safe.
 */
public interface ImageStore {

    /** Loads a {@code docker save} or OCI image-layout archive (tar, optionally gzip'd); returns what it named. */
    List<Image> load(InputStream archive, ProgressListener progress) throws IOException, ImageException;

    /**
     * Pulls {@code reference} (e.g. {@code localhost:8080/demo/web:1}, {@code host/name@sha256:...}) from its
     * registry using the Docker token / basic auth flow with the given credentials (may be null: anonymous).
     */
    Image pull(String reference, RegistryCredentials credentials, ProgressListener progress)
            throws IOException, ImageException;

    /** Looks up by full or short id ({@code sha256:...} prefix), by {@code name:tag} or by {@code name@digest}. */
    Optional<Image> find(String reference) throws IOException;

    List<Image> list() throws IOException;

    /** Adds a tag to an existing image. */
    void tag(Image image, String nameAndTag) throws IOException, ImageException;

    /**
     * Removes a tag, or the image itself when given by id or when the last tag goes; {@code force} also removes
     * an image with several tags. Returns the untagged and deleted references as Docker reports them.
     */
    List<String> remove(String reference, boolean force) throws IOException, ImageException;

    /**
     * Snapshot key of the image's top layer, ready to be the parent of a container's read-write snapshot
     * (see {@link dev.slipway.engine.snapshot.Snapshotter}); null for an image without layers.
     */
    String topSnapshot(Image image);

    /**
     * Credentials for one registry host: a username and password (Basic, or traded for a token at the registry's
     * token server), or a {@code registryToken} issued beforehand by someone else (the platform hands workers a
     * short-lived pull token), sent as {@code Authorization: Bearer} from the first request on.
     */
    record RegistryCredentials(String username, String password, String registryToken) {
        public RegistryCredentials(String username, String password) {
            this(username, password, null);
        }

        public static RegistryCredentials bearer(String registryToken) {
            return new RegistryCredentials(null, null, registryToken);
        }

        @Override
        public String toString() {
            return "RegistryCredentials[" + (registryToken != null ? "bearer token" : username) + "]";
        }
    }

    /** Progress lines for `docker pull`/`docker load` output ("Pulling fs layer", "Download complete", ...). */
    interface ProgressListener {
        ProgressListener NONE = (id, status, current, total) -> { };

        void progress(String id, String status, long current, long total);
    }
}
