package dev.slipway.engine.agent;

import dev.slipway.engine.container.ContainerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Turns the API's {@code assign} (the complete set of instances this worker must run) into one
 * {@link InstanceSupervisor} per instance: new ones for instances not yet here, the new spec for existing ones
 * (a grown generation replaces the container), {@link InstanceSupervisor#retire} for every instance or
 * {@code slipway.instance} container not in the set. Applying the same set twice changes nothing; concurrent
 * assigns are applied one at a time and each instance's work is serialised by its supervisor.
 *
 * <p>At engine start {@link #adoptExisting} takes over every container labelled {@code slipway.instance}
 * (running ones keep running), so they are reported in {@code hello} and supervised before the API has spoken.
 */
final class Convergence {

    private static final Logger LOG = Logger.getLogger(Convergence.class.getName());

    private final Supervision supervision;
    private final Map<String, InstanceSupervisor> supervisors = new ConcurrentHashMap<>();
    private boolean closed;

    Convergence(Supervision supervision) {
        this.supervision = supervision;
    }

    synchronized void adoptExisting() {
        List<ContainerRecord> labelled = new ArrayList<>(supervision.containers().list().stream()
                .filter(InstanceContainer::isInstance).toList());
        // the newest generation, then a running one, wins when two containers claim one instance
        labelled.sort(Comparator.comparingLong(InstanceContainer::generation).reversed()
                .thenComparing(r -> !r.state().running()));
        for (ContainerRecord record : labelled) {
            String id = InstanceContainer.instanceId(record);
            if (supervisors.containsKey(id)) {
                removeStray(record);
                continue;
            }
            InstanceSupervisor supervisor = newSupervisor(id);
            supervisors.put(id, supervisor);
            supervisor.adopt(record, supervision.specs().load(id));
        }
        LOG.info("adopted " + supervisors.size() + " instance containers");
    }

    synchronized void apply(List<Wire.InstanceSpec> desired) {
        if (closed) {
            return;
        }
        Set<String> ids = new HashSet<>();
        for (Wire.InstanceSpec spec : desired) {
            Optional<String> invalid = invalid(spec);
            if (invalid.isPresent()) {
                LOG.warning("ignoring an assigned instance: " + invalid.get());
                continue;
            }
            ids.add(spec.instanceId());
            supervisors.computeIfAbsent(spec.instanceId(), this::newSupervisor).desire(spec);
        }
        for (InstanceSupervisor supervisor : supervisors.values()) {
            if (!ids.contains(supervisor.instanceId()) && supervisor.wanted()) {
                supervisor.retire();
            }
        }
        for (ContainerRecord record : supervision.containers().list()) {
            if (!InstanceContainer.isInstance(record)) {
                continue;
            }
            String id = InstanceContainer.instanceId(record);
            if (!ids.contains(id) && !supervisors.containsKey(id)) {
                // labelled but unknown to the agent (made behind its back) and not in the set: it goes
                InstanceSupervisor supervisor = newSupervisor(id);
                supervisors.put(id, supervisor);
                supervisor.adopt(record, Optional.empty());
                supervisor.retire();
            }
        }
    }

    private static Optional<String> invalid(Wire.InstanceSpec spec) {
        if (spec.instanceId() == null || !spec.instanceId().matches("[A-Za-z0-9._-]{1,128}")) {
            return Optional.of("instanceId missing or unusable: " + spec.instanceId());
        }
        if (spec.image() == null || spec.image().isBlank()) {
            return Optional.of("instance " + spec.instanceId() + " has no image");
        }
        return Optional.empty();
    }

    List<Wire.InstanceStatus> statusesForHello() {
        return supervisors.values().stream().filter(InstanceSupervisor::platformInstance)
                .map(InstanceSupervisor::statusForHello)
                .sorted(Comparator.comparing(Wire.InstanceStatus::instanceId)).toList();
    }

    List<InstanceSupervisor> supervisors() {
        return List.copyOf(supervisors.values());
    }

    /**
     * Retires every instance (SIGTERM, SIGKILL after its grace period, container removed, {@code stopping} then
     * {@code stopped} reported) and applies no assign from now on; waits until all are retired or {@code limit}
     * has passed. Returns how many were still not retired.
     */
    int stopAll(Duration limit) throws InterruptedException {
        synchronized (this) {
            closed = true;
            supervisors.values().forEach(InstanceSupervisor::retire);
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (!supervisors.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return supervisors.size();
    }

    /** Stops supervising; containers keep running for the next engine to adopt. */
    synchronized void close() {
        closed = true;
        supervisors.values().forEach(InstanceSupervisor::close);
    }

    private InstanceSupervisor newSupervisor(String instanceId) {
        return new InstanceSupervisor(instanceId, supervision, this::retired);
    }

    private synchronized void retired(InstanceSupervisor supervisor) {
        if (!supervisor.wanted()) {
            supervisors.remove(supervisor.instanceId(), supervisor);
        }
    }

    /** A second container for an instance that already has one (an interrupted replace): stop and remove it. */
    private void removeStray(ContainerRecord record) {
        LOG.info("removing stray container " + record.name() + " of instance " + InstanceContainer.instanceId(record));
        Thread.ofVirtual().start(() -> {
            try {
                supervision.containers().stop(record.id(), 10, "SIGTERM");
            } catch (Exception e) {
                // already stopped or gone
            }
            try {
                supervision.containers().remove(record.id(), true);
            } catch (Exception e) {
                LOG.warning("could not remove stray container " + record.id() + ": " + e.getMessage());
            }
        });
    }
}
