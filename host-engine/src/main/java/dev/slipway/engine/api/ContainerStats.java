package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.api.http.ChunkedOutputStream;
import dev.slipway.engine.api.http.HttpRequest;
import dev.slipway.engine.api.http.HttpResponse;
import dev.slipway.engine.container.ContainerException;
import dev.slipway.engine.container.ContainerRecord;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.runtime.RunningContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code docker stats}: cgroup counters in Docker's stats document. CPU percentages are computed by the client
 * from the difference between {@code cpu_stats} and {@code precpu_stats}, so a one-shot answer takes two samples
 * a short window apart; a stream sends one document a second, each carrying the previous sample.
 */
final class ContainerStats {

    private static final long SAMPLE_WINDOW_MS = 250;
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, what /proc/stat counts in

    private final ContainerService containers;
    private final ObjectMapper json;

    ContainerStats(ContainerService containers, ObjectMapper json) {
        this.containers = containers;
        this.json = json;
    }

    private record Sample(Instant read, RunningContainer.CgroupStats cgroup, long systemNanos) {
    }

    void serve(HttpRequest request, HttpResponse response, String ref) throws IOException, ContainerException,
            InterruptedException {
        ContainerRecord record = containers.get(ref);
        boolean stream = request.query("stream") == null || request.flag("stream");
        boolean oneShot = request.flag("one-shot");
        Optional<RunningContainer> handle = containers.handle(ref);
        if (!stream) {
            Sample previous = null;
            Sample current = sample(handle);
            if (!oneShot && handle.isPresent()) {
                Thread.sleep(SAMPLE_WINDOW_MS);
                previous = current;
                current = sample(handle);
            }
            response.json(200, document(record, current, previous));
            return;
        }
        ChunkedOutputStream out = response.stream(200, "application/json");
        Sample previous = null;
        while (true) {
            Sample current = sample(containers.handle(ref));
            out.write(json.writeValueAsBytes(document(record, current, previous)));
            out.write('\n');
            out.flush();
            if (containers.handle(ref).isEmpty()) {
                break;
            }
            previous = current;
            Thread.sleep(1000);
        }
        out.close();
    }

    private static Sample sample(Optional<RunningContainer> handle) throws IOException {
        RunningContainer.CgroupStats cgroup = handle.isPresent() ? handle.get().stats()
                : new RunningContainer.CgroupStats(0, 0, 0, 0, 0, 0, 0);
        return new Sample(Instant.now(), cgroup, systemCpuNanos());
    }

    private Map<String, Object> document(ContainerRecord record, Sample current, Sample previous) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("read", DockerTime.rfc3339Nano(current.read()));
        d.put("preread", previous == null ? DockerTime.ZERO : DockerTime.rfc3339Nano(previous.read()));
        RunningContainer.CgroupStats c = current.cgroup();
        d.put("pids_stats", pids(c));
        d.put("blkio_stats", Map.of());
        d.put("num_procs", 0);
        d.put("storage_stats", Map.of());
        d.put("cpu_stats", cpu(current));
        d.put("precpu_stats", previous == null ? Map.of("cpu_usage", Map.of("total_usage", 0),
                "throttling_data", Map.of()) : cpu(previous));
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("usage", Math.max(c.memoryCurrentBytes(), 0));
        if (c.memoryPeakBytes() >= 0) {
            memory.put("max_usage", c.memoryPeakBytes());
        }
        memory.put("stats", Map.of());
        memory.put("limit", c.memoryLimitBytes() > 0 ? c.memoryLimitBytes() : hostMemoryBytes());
        memory.put("failcnt", c.oomKills() > 0 ? c.oomKills() : 0);
        d.put("memory_stats", memory);
        d.put("name", "/" + record.name());
        d.put("id", record.id());
        d.put("networks", Map.of());
        return d;
    }

    private static Map<String, Object> pids(RunningContainer.CgroupStats c) {
        Map<String, Object> pids = new LinkedHashMap<>();
        pids.put("current", Math.max(c.pidsCurrent(), 0));
        if (c.pidsLimit() > 0) {
            pids.put("limit", c.pidsLimit());
        }
        return pids;
    }

    private static Map<String, Object> cpu(Sample s) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", Math.max(s.cgroup().cpuUsageNanos(), 0));
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", 0);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", usage);
        cpu.put("system_cpu_usage", s.systemNanos());
        cpu.put("online_cpus", Runtime.getRuntime().availableProcessors());
        cpu.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        return cpu;
    }

    /** Total host CPU time, as Docker computes system_cpu_usage: the sum of /proc/stat's first line in ns. */
    private static long systemCpuNanos() throws IOException {
        String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
        long ticks = 0;
        List<String> fields = List.of(first.trim().split("\\s+"));
        for (int i = 1; i < Math.min(fields.size(), 8); i++) {
            ticks += Long.parseLong(fields.get(i));
        }
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    static long hostMemoryBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
