package dev.slipway.engine.container;

import dev.slipway.engine.runtime.RunningContainer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's live view of one container: its current record plus, while it runs, the runtime's handle, and the
 * futures of callers waiting for its next start, exit or removal. Guarded by its own monitor; only
 * {@link ContainerService} changes it.
 */
final class Container {

    volatile ContainerRecord record;
    RunningContainer handle;
    boolean removing;
    final List<CompletableFuture<RunningContainer>> startWaiters = new ArrayList<>();
    final List<CompletableFuture<ContainerState>> exitWaiters = new ArrayList<>();
    final List<CompletableFuture<ContainerState>> removeWaiters = new ArrayList<>();

    Container(ContainerRecord record) {
        this.record = record;
    }

    String id() {
        return record.id();
    }
}
