package dev.slipway.api.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Placement decisions on in-memory workers: capacity, spreading of replicas, pending reasons. */
class PlacementTest {

    private static final String WEB = Placement.group(UUID.randomUUID(), 0);
    private static final String API = Placement.group(UUID.randomUUID(), 0);
    private static final BigDecimal HALF = new BigDecimal("0.5");

    private static WorkerLoad worker(String name, String cpu, long memoryMb) {
        return new WorkerLoad(UUID.randomUUID(), name, new BigDecimal(cpu), memoryMb);
    }

    private static String placedOn(Placement placement, String app, String cpu, long memoryMb) {
        return placement.place(app, new BigDecimal(cpu), memoryMb).worker().map(WorkerLoad::name).orElse(null);
    }

    @Test
    void replicasSpreadOverWorkersBeforeStacking() {
        Placement placement = new Placement(List.of(worker("a", "4", 8192), worker("b", "2", 4096)));
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(placedOn(placement, WEB, "0.5", 64));
        }
        // first the roomiest, then the one without a replica of the app, then alternate by instance count
        assertEquals(List.of("a", "b", "a", "b"), chosen);
    }

    @Test
    void fewestInstancesOfTheAppWinsOverMostFreeCapacity() {
        WorkerLoad big = worker("big", "8", 16384);
        WorkerLoad small = worker("small", "1", 1024);
        big.add(WEB, HALF, 64);
        Placement placement = new Placement(List.of(big, small));
        assertEquals("small", placedOn(placement, WEB, "0.5", 64));
        // another group has no instance anywhere: the most free CPU decides
        assertEquals("big", placedOn(placement, API, "0.5", 64));
    }

    @Test
    void replacementsOfARolloutSpreadWhateverTheOldInstancesDo() {
        WorkerLoad one = worker("one", "2", 2048);
        WorkerLoad two = worker("two", "2", 2048);
        String v1 = Placement.group(UUID.randomUUID(), 0);
        one.add(v1, HALF, 64);
        one.add(v1, HALF, 64);
        String v2 = Placement.group(UUID.randomUUID(), 0);
        Placement placement = new Placement(List.of(one, two));
        assertEquals("two", placedOn(placement, v2, "0.5", 64));
        assertEquals("one", placedOn(placement, v2, "0.5", 64));
    }

    @Test
    void anInstanceGoesOnlyWhereBothCpuAndMemoryFit() {
        WorkerLoad cpuRich = worker("cpu-rich", "8", 100);
        WorkerLoad memoryRich = worker("memory-rich", "0.25", 16384);
        Placement placement = new Placement(List.of(cpuRich, memoryRich));
        Placement.Decision d = placement.place(WEB, HALF, 128);
        assertTrue(d.worker().isEmpty());
        assertEquals("no worker has 0.5 CPU and 128 MB free; largest free: cpu-rich 8 CPU / 100 MB,"
                + " memory-rich 0.25 CPU / 16384 MB", d.pendingReason());
    }

    @Test
    void capacityPromisedEarlierInThePassIsNotPromisedAgain() {
        WorkerLoad only = worker("only", "1", 256);
        only.add(API, new BigDecimal("0.25"), 64);
        Placement placement = new Placement(List.of(only));
        assertEquals("only", placedOn(placement, WEB, "0.5", 64));
        assertEquals("only", placedOn(placement, WEB, "0.25", 64));
        Placement.Decision full = placement.place(WEB, new BigDecimal("0.05"), 16);
        assertTrue(full.worker().isEmpty());
        assertEquals("no worker has 0.05 CPU and 16 MB free; largest free: only 0 CPU / 64 MB", full.pendingReason());
    }

    @Test
    void exactFitIsAccepted() {
        Placement placement = new Placement(List.of(worker("w", "1.0", 128)));
        Placement.Decision d = placement.place(WEB, new BigDecimal("1"), 128);
        assertEquals("w", d.worker().orElseThrow().name());
        assertNull(d.pendingReason());
    }

    @Test
    void noReadyWorkerSaysSo() {
        Placement.Decision d = new Placement(List.of()).place(WEB, HALF, 64);
        assertEquals("no worker has 0.5 CPU and 64 MB free: no worker is ready (join one with ./slipway worker)",
                d.pendingReason());
    }
}
