package dev.slipway.api.scheduler;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Chooses a worker for each instance of one scheduling pass. An instance fits a worker whose free capacity
 * (capacity minus the limits already promised there) covers its CPU and memory limits. Among those, replicas
 * spread: the worker with the fewest instances of the same group wins (the group is one release of an app at one
 * restart generation, so the replacements of a rollout spread by themselves, whatever the old instances they
 * replace do), then the one with most free CPU, then most
 * free memory, then the name (so equal workers are chosen in a stable order). Each choice is remembered, so later
 * instances of the same pass see it.
 */
final class Placement {

    /** Where an instance goes, or why it goes nowhere. */
    record Decision(Optional<WorkerLoad> worker, String pendingReason) {
    }

    private final List<WorkerLoad> workers;

    Placement(List<WorkerLoad> workers) {
        this.workers = List.copyOf(workers);
    }

    /** The group of an instance: replicas of one release at one restart generation. */
    static String group(UUID release, int generation) {
        return release + "/" + generation;
    }

    Decision place(String group, BigDecimal cpu, long memoryMb) {
        Optional<WorkerLoad> best = workers.stream().filter(w -> w.fits(cpu, memoryMb))
                .min(Comparator.comparingInt((WorkerLoad w) -> w.instancesOf(group))
                        .thenComparing(WorkerLoad::freeCpu, Comparator.reverseOrder())
                        .thenComparing(WorkerLoad::freeMemoryMb, Comparator.reverseOrder())
                        .thenComparing(WorkerLoad::name));
        if (best.isPresent()) {
            best.get().add(group, cpu, memoryMb);
            return new Decision(best, null);
        }
        return new Decision(Optional.empty(), pendingReason(cpu, memoryMb));
    }

    private String pendingReason(BigDecimal cpu, long memoryMb) {
        String wanted = "no worker has " + cpu.stripTrailingZeros().toPlainString() + " CPU and " + memoryMb
                + " MB free";
        if (workers.isEmpty()) {
            return wanted + ": no worker is ready (join one with ./slipway worker)";
        }
        WorkerLoad roomiest = workers.stream().max(Comparator.comparing(WorkerLoad::freeCpu)
                .thenComparing(WorkerLoad::freeMemoryMb)).orElseThrow();
        WorkerLoad mostMemory = workers.stream().max(Comparator.comparing(WorkerLoad::freeMemoryMb)
                .thenComparing(WorkerLoad::freeCpu)).orElseThrow();
        String reason = wanted + "; largest free: " + describe(roomiest);
        return roomiest == mostMemory ? reason : reason + ", " + describe(mostMemory);
    }

    private static String describe(WorkerLoad w) {
        return w.name() + " " + w.freeCpu().stripTrailingZeros().toPlainString() + " CPU / " + w.freeMemoryMb()
                + " MB";
    }
}
