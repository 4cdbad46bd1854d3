package dev.slipway.engine.snapshot;

import java.io.IOException;
import java.nio.file.Path;

class CopySnapshotterTest extends SnapshotterContractTest {

    @Override
    protected Snapshotter create(Path root) throws IOException {
        return new CopySnapshotter(root);
    }
}
