package dev.slipway.api.logs;

import dev.slipway.api.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET .../apps/{a}/logs}, checked: every bad value is a 400 {@code INVALID_FIELD}
 * naming the parameter, before anything is read.
 */
record LogRequest(LogFilter filter, Integer tail, Long cursor, boolean follow) {

    static final int MAX_TAIL = 100_000;
    static final int MAX_QUERY_CHARS = 256;
    /** When a follower says nothing about where to start: the last lines, as a terminal would show. */
    static final int DEFAULT_FOLLOW_TAIL = 100;
    private static final Pattern RELATIVE = Pattern.compile("([0-9]{1,9})(s|m|h|d)");

    static LogRequest parse(String tail, String since, String until, String instance, String stream, String q,
            String follow, String cursor, String lastEventId, Instant now) {
        boolean following = bool("follow", follow);
        Long after = lastEventId != null && !lastEventId.isBlank() ? cursor("Last-Event-ID", lastEventId)
                : cursor("cursor", cursor);
        Integer tailLines = null;
        if (tail != null && !tail.isBlank() && !tail.equals("all")) {
            try {
                tailLines = Integer.valueOf(tail.trim());
            } catch (NumberFormatException e) {
                tailLines = -1;
            }
            if (tailLines < 0 || tailLines > MAX_TAIL) {
                throw ApiException.invalidField("tail", "must be a number of lines from 0 to " + MAX_TAIL
                        + " (or 'all'), got '" + tail + "'");
            }
        }
        Long sinceNanos = time("since", since, now);
        Long untilNanos = time("until", until, now);
        if (following && untilNanos != null) {
            throw ApiException.invalidField("until", "cannot be combined with follow=true (a follower has no end)");
        }
        if (sinceNanos != null && untilNanos != null && untilNanos <= sinceNanos) {
            throw ApiException.invalidField("until", "must be after since");
        }
        UUID instanceId = null;
        if (instance != null && !instance.isBlank()) {
            try {
                instanceId = UUID.fromString(instance.trim());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidField("instance", "must be an instance id (a UUID, as in GET .../apps/{app})");
            }
        }
        Integer streamCode = null;
        if (stream != null && !stream.isBlank()) {
            streamCode = LogLine.streamCode(stream.trim());
            if (streamCode == 0) {
                throw ApiException.invalidField("stream", "must be 'stdout' or 'stderr', got '" + stream + "'");
            }
        }
        String contains = null;
        if (q != null && !q.isEmpty()) {
            if (q.length() > MAX_QUERY_CHARS) {
                throw ApiException.invalidField("q", "must be at most " + MAX_QUERY_CHARS + " characters");
            }
            if (q.indexOf('\0') >= 0) {
                throw ApiException.invalidField("q", "must not contain NUL characters");
            }
            contains = q;
        }
        boolean allAsked = tail != null && tail.trim().equals("all");
        if (following && tailLines == null && !allAsked && after == null && sinceNanos == null) {
            tailLines = DEFAULT_FOLLOW_TAIL;
        }
        return new LogRequest(new LogFilter(instanceId, streamCode, sinceNanos, untilNanos, contains), tailLines,
                after, following);
    }

    private static boolean bool(String name, String value) {
        if (value == null || value.isBlank() || value.equals("false") || value.equals("0")) {
            return false;
        }
        if (value.equals("true") || value.equals("1")) {
            return true;
        }
        throw ApiException.invalidField(name, "must be true or false, got '" + value + "'");
    }

    private static Long cursor(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long pos = Long.parseLong(value.trim());
            if (pos >= 0) {
                return pos;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalidField(name, "must be a cursor from an earlier log line (the 'cursor' field or "
                + "SSE 'id:'), got '" + value + "'");
    }

    /** RFC 3339 ({@code 2026-11-23T18:00:00Z}) or a relative age ({@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}). */
    private static Long time(String name, String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Matcher relative = RELATIVE.matcher(v);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration age = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return LogLine.nanos(now.minus(age));
        }
        try {
            return LogLine.nanos(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.invalidField(name, "must be an RFC 3339 time (2026-11-23T18:00:00Z) or an age "
                    + "like 90s, 15m, 2h, 7d; got '" + value + "'");
        }
    }
}
