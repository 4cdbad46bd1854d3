package dev.slipway.billing;

import java.util.Arrays;
import java.util.Optional;

/**
 * What Slipway measures. Billed meters are priced by a {@link dev.slipway.billing.rating.Plan}; the
 * "used" meters record what an instance actually consumed, shown to the tenant for insight and never
 * priced (a tenant pays for what it reserves, because reserved capacity is what a worker must hold).
 *
 * <p>"GB" in meter names means GiB (2^30 bytes): memory limits are set in MiB, so GiB keeps the
 * conversion exact in decimal.
 */
public enum Meter {
    VCPU_SECONDS("vcpu_seconds", "vCPU-second", "Reserved vCPU", true),
    MEMORY_GB_SECONDS("memory_gb_seconds", "GiB-second", "Reserved memory", true),
    REGISTRY_STORAGE_GB_HOURS("registry_storage_gb_hours", "GiB-hour", "Registry storage", true),
    BUILD_MINUTES("build_minutes", "minute", "Build time", true),
    CPU_SECONDS_USED("cpu_seconds_used", "CPU-second", "CPU used", false),
    MEMORY_GB_SECONDS_USED("memory_gb_seconds_used", "GiB-second", "Memory used", false);

    private final String wire;
    private final String unit;
    private final String label;
    private final boolean billed;

    Meter(String wire, String unit, String label, boolean billed) {
        this.wire = wire;
        this.unit = unit;
        this.label = label;
        this.billed = billed;
    }

    /** The stable name in JSON, CSV and the database. */
    public String wire() {
        return wire;
    }

    public String unit() {
        return unit;
    }

    public String label() {
        return label;
    }

    public boolean billed() {
        return billed;
    }

    public static Optional<Meter> fromWire(String wire) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(wire)).findFirst();
    }
}
