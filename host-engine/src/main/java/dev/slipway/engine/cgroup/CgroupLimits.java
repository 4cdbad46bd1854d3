package dev.slipway.engine.cgroup;

import dev.slipway.engine.runtime.RuntimeSpec.Resources;

/** Checks and converts the runtime's {@link Resources} into the values cgroup files take. */
public final class CgroupLimits {
    /** The CFS period used for quotas, in microseconds (Docker's). */
    public static final long CPU_PERIOD_US = 100_000;

    private CgroupLimits() {
    }

    /** Rejects values the kernel would refuse or that make no sense, with a message naming the flag. */
    public static Resources check(Resources r) {
        if (r.memoryBytes() < 0 || r.nanoCpus() < 0 || r.cpuShares() < 0 || r.pidsLimit() < 0) {
            throw new IllegalArgumentException("cgroup limits must not be negative: " + r);
        }
        if (r.cpuShares() != 0 && (r.cpuShares() < 2 || r.cpuShares() > 262_144)) {
            throw new IllegalArgumentException("cpu shares must be 2-262144: " + r.cpuShares());
        }
        if (r.memoryBytes() != 0 && r.memoryBytes() < 6 * 1024 * 1024) {
            throw new IllegalArgumentException("memory limit must be at least 6 MiB: " + r.memoryBytes());
        }
        if (r.nanoCpus() != 0 && r.nanoCpus() < 10_000_000) {
            throw new IllegalArgumentException("cpus must be at least 0.01: " + r.nanoCpus());
        }
        return r;
    }

    /** Quota per period in microseconds, or -1 for none. */
    public static long cpuQuotaMicros(Resources r) {
        return r.nanoCpus() == 0 ? -1 : r.nanoCpus() * CPU_PERIOD_US / 1_000_000_000L;
    }

    /** v1 shares (2-262144) to v2 weight (1-10000), the conversion runc and the kernel docs use. */
    public static long sharesToWeight(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }
}
