package dev.slipway.engine.mount;

import java.util.List;

/**
 * Docker's defaults for paths inside the container's /proc and /sys. Masked paths leak host information or
 * allow host-wide effects: a directory gets an empty read-only tmpfs over it, a file gets /dev/null bound over
 * it. Read-only paths stay readable but are remounted read-only (e.g. /proc/sys, so root inside cannot tune
 * the host kernel). Paths missing on a kernel are skipped by the launcher.
 */
public final class MaskedPaths {
    private MaskedPaths() {
    }

    public static final List<String> MASKED = List.of(
            "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            "/sys/devices/virtual/powercap");

    public static final List<String> READ_ONLY = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
}
