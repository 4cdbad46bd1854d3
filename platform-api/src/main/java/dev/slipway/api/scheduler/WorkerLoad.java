package dev.slipway.api.scheduler;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One schedulable worker as placement sees it: what it offers and what is already promised to instances that
 * should run on it (the limits of its rows with desired state {@code running}, whatever they currently do).
 * Mutable: placement adds each instance it puts there, so one pass never promises the same capacity twice.
 */
final class WorkerLoad {

    private final UUID id;
    private final String name;
    private final BigDecimal cpu;
    private final long memoryMb;
    private BigDecimal allocatedCpu = BigDecimal.ZERO;
    private long allocatedMemoryMb;
    private final Map<String, Integer> instancesPerGroup = new HashMap<>();

    WorkerLoad(UUID id, String name, BigDecimal cpu, long memoryMb) {
        this.id = id;
        this.name = name;
        this.cpu = cpu;
        this.memoryMb = memoryMb;
    }

    /** Promises capacity to an instance of {@code group} (see {@link Placement#place}). */
    void add(String group, BigDecimal instanceCpu, long instanceMemoryMb) {
        allocatedCpu = allocatedCpu.add(instanceCpu);
        allocatedMemoryMb += instanceMemoryMb;
        instancesPerGroup.merge(group, 1, Integer::sum);
    }

    boolean fits(BigDecimal instanceCpu, long instanceMemoryMb) {
        return freeCpu().compareTo(instanceCpu) >= 0 && freeMemoryMb() >= instanceMemoryMb;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    BigDecimal freeCpu() {
        return cpu.subtract(allocatedCpu).max(BigDecimal.ZERO);
    }

    long freeMemoryMb() {
        return Math.max(0, memoryMb - allocatedMemoryMb);
    }

    int instancesOf(String group) {
        return instancesPerGroup.getOrDefault(group, 0);
    }
}
