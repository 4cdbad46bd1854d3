package dev.slipway.engine.image;

import dev.slipway.engine.snapshot.CopySnapshotter;
import dev.slipway.engine.snapshot.Snapshotter;
import java.nio.file.Path;

/** The same store behaviour on the copying snapshotter (hosts without overlayfs). */
class LocalImageStoreCopyTest extends LocalImageStoreTest {

    @Override
    protected Snapshotter newSnapshotter(Path root) throws Exception {
        return new CopySnapshotter(root);
    }
}
