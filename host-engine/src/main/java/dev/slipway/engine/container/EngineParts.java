package dev.slipway.engine.container;

import dev.slipway.engine.image.ImageStore;
import dev.slipway.engine.network.ContainerNetworking;
import dev.slipway.engine.runtime.ContainerLog;
import dev.slipway.engine.runtime.ContainerRuntime;
import dev.slipway.engine.snapshot.Snapshotter;

/** The engine's collaborators that the container lifecycle drives; EngineMain builds the real ones. */
public record EngineParts(ImageStore images, Snapshotter snapshots, ContainerRuntime runtime, ContainerLog log,
                          ContainerNetworking network) {

    /** Parts without bridge networking: {@code default} runs like {@code none} (fakes in unit tests). */
    public EngineParts(ImageStore images, Snapshotter snapshots, ContainerRuntime runtime, ContainerLog log) {
        this(images, snapshots, runtime, log, ContainerNetworking.withoutBridge());
    }
}
