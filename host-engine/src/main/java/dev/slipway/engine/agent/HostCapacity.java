package dev.slipway.engine.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this host offers the scheduler: its CPUs and its memory minus a reserve for the kernel, the engine and the
 * containers' monitors (10 % of the memory, at least 256 MiB, at most 1 GiB), so that a fully booked host still
 * has room to breathe.
 */
public record HostCapacity(double cpu, long memoryMb) {

    public static HostCapacity detect() throws IOException {
        return of(Runtime.getRuntime().availableProcessors(), memTotalKib(Path.of("/proc/meminfo")));
    }

    static HostCapacity of(int cpus, long memTotalKib) {
        long totalMb = memTotalKib / 1024;
        long reserve = Math.min(1024, Math.max(256, totalMb / 10));
        return new HostCapacity(cpus, Math.max(0, totalMb - reserve));
    }

    static long memTotalKib(Path meminfo) throws IOException {
        for (String line : Files.readAllLines(meminfo)) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(meminfo + " has no MemTotal line");
    }
}
