package dev.slipway.engine.image;

import dev.slipway.engine.archive.LayerUnpacker;
import dev.slipway.engine.archive.UnsafeLayerException;
import dev.slipway.engine.content.ContentStore;
import dev.slipway.engine.content.Digest;
import dev.slipway.engine.snapshot.Snapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns an image's layer blobs into committed snapshots, one per layer, named by the layer's OCI chain id
 * ({@code chainId(n) = sha256(chainId(n-1) + " " + diffId(n))}), so images sharing a base share its snapshots
 * and an already unpacked layer is never unpacked again. A layer is unpacked into a throw-away
 * {@code extract-<uuid>} snapshot and committed only once its diff id matches the config: a failure removes the
 * extract snapshot and leaves nothing.
 */
final class LayerChain {

    static final String EXTRACT_PREFIX = "extract-";

    private final ContentStore content;
    private final Snapshotter snapshotter;

    LayerChain(ContentStore content, Snapshotter snapshotter) {
        this.content = content;
        this.snapshotter = snapshotter;
    }

    static List<String> chainIds(List<String> diffIds) {
        List<String> chain = new ArrayList<>();
        String previous = null;
        for (String diffId : diffIds) {
            previous = previous == null ? diffId
                    : Digest.sha256((previous + " " + diffId).getBytes(StandardCharsets.UTF_8)).toString();
            chain.add(previous);
        }
        return chain;
    }

    /** Ensures a committed snapshot per layer; returns the total unpacked size. */
    long unpack(List<Digest> layers, List<String> diffIds, ImageStore.ProgressListener progress)
            throws IOException, ImageException {
        if (layers.size() != diffIds.size()) {
            throw new ImageException(ImageException.Reason.INVALID, "image has " + layers.size()
                    + " layers but its config lists " + diffIds.size() + " diff ids");
        }
        List<String> chain = chainIds(diffIds);
        long size = 0;
        String parent = null;
        for (int i = 0; i < layers.size(); i++) {
            String chainId = chain.get(i);
            String shortId = layers.get(i).hex().substring(0, 12);
            if (!snapshotter.exists(chainId)) {
                progress.progress(shortId, "Extracting", 0, content.size(layers.get(i)));
                unpackOne(layers.get(i), diffIds.get(i), chainId, parent);
                progress.progress(shortId, "Pull complete", 0, 0);
            }
            size += snapshotter.usage(chainId);
            parent = chainId;
        }
        return size;
    }

    private void unpackOne(Digest layer, String diffId, String chainId, String parent)
            throws IOException, ImageException {
        String key = EXTRACT_PREFIX + UUID.randomUUID();
        snapshotter.prepare(key, parent);
        boolean committed = false;
        try (InputStream in = content.open(layer)) {
            LayerUnpacker.Result result = new LayerUnpacker(snapshotter.whiteoutStyle())
                    .unpack(in, snapshotter.writableDir(key));
            if (!result.diffId().toString().equals(diffId)) {
                throw new ImageException(ImageException.Reason.INVALID, "layer " + layer + " unpacks to "
                        + result.diffId() + " but the image config says " + diffId);
            }
            snapshotter.commit(chainId, key);
            committed = true;
        } catch (UnsafeLayerException e) {
            throw new ImageException(ImageException.Reason.UNSAFE_LAYER, "layer " + layer + " refused: " + e.getMessage(), e);
        } finally {
            if (!committed) {
                snapshotter.remove(key);
            }
        }
    }
}
