package dev.slipway.api.metering;

import java.time.Instant;

/** One instance's counters at one time, as stored: cumulative CPU since {@code startedAt}, memory at {@code at}. */
record StoredSample(Instant at, Instant startedAt, long cpuUsageNanos, long memoryBytes) {
}
