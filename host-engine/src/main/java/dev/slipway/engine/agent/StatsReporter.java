package dev.slipway.engine.agent;

import dev.slipway.engine.container.ContainerException;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.runtime.RunningContainer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code stats} frame: for every running instance the cumulative counters of its cgroup (the same reading
 * that backs {@code docker stats}) and the start time of the run they count from.
 */
final class StatsReporter {

    private final ContainerService containers;

    StatsReporter(ContainerService containers) {
        this.containers = containers;
    }

    Wire.Stats sample(List<InstanceSupervisor> supervisors) {
        List<Wire.StatsSample> samples = new ArrayList<>();
        for (InstanceSupervisor supervisor : supervisors) {
            Optional<String> id = supervisor.containerId();
            if (id.isEmpty()) {
                continue;
            }
            try {
                Optional<RunningContainer> handle = containers.handle(id.get());
                Instant startedAt = containers.get(id.get()).state().startedAt();
                if (handle.isEmpty() || startedAt == null) {
                    continue;
                }
                RunningContainer.CgroupStats c = handle.get().stats();
                samples.add(new Wire.StatsSample(supervisor.instanceId(), id.get(), startedAt.toString(),
                        Math.max(0, c.cpuUsageNanos()), Math.max(0, c.memoryCurrentBytes()),
                        Math.max(0, c.memoryLimitBytes()), Math.max(0, c.pidsCurrent())));
            } catch (ContainerException | IOException e) {
                // stopped or removed between listing and reading: nothing to count
            }
        }
        return new Wire.Stats(Instant.now().toString(), samples);
    }
}
