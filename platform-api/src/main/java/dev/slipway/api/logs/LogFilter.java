package dev.slipway.api.logs;

import java.util.UUID;

/**
 * Which lines of an app a reader wants: one instance or all, one stream or both, a time window on the line's own
 * timestamp ({@code since} inclusive, {@code until} exclusive, in ns since the epoch) and a substring. Null means
 * "no restriction".
 */
public record LogFilter(UUID instanceId, Integer stream, Long sinceNanos, Long untilNanos, String contains) {

    public static final LogFilter ALL = new LogFilter(null, null, null, null, null);

    public boolean matches(LogLine line) {
        return (instanceId == null || instanceId.equals(line.instanceId()))
                && (stream == null || stream == line.stream())
                && (sinceNanos == null || line.timeNanos() >= sinceNanos)
                && (untilNanos == null || line.timeNanos() < untilNanos)
                && (contains == null || line.line().contains(contains));
    }
}
