package dev.slipway.engine.container;

import java.time.Instant;

/**
 * Everything persisted about one container: identity, creation spec and last known state. Immutable; a state
 * change produces a new record that {@link ContainerStore} writes atomically before anyone can observe it.
 *
 * @param name without Docker's leading slash
 */
public record ContainerRecord(String id, String name, Instant created, ContainerSpec spec, ContainerState state) {

    public ContainerRecord withState(ContainerState newState) {
        return new ContainerRecord(id, name, created, spec, newState);
    }

    public ContainerRecord withName(String newName) {
        return new ContainerRecord(id, newName, created, spec, state);
    }
}
