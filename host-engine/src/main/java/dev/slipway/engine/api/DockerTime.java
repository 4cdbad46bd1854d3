package dev.slipway.engine.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Docker's time conventions: RFC 3339 with nanoseconds, Go's zero time for "never", human durations for ps. */
final class DockerTime {

    static final String ZERO = "0001-01-01T00:00:00Z";

    private DockerTime() {
    }

    static String rfc3339(Instant instant) {
        return instant == null ? ZERO : DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** Fixed 9 fraction digits, as `docker logs -t` prints them (so columns line up). */
    static String rfc3339Nano(Instant instant) {
        String seconds = DateTimeFormatter.ISO_INSTANT.format(instant.minusNanos(instant.getNano()));
        return seconds.substring(0, seconds.length() - 1) + String.format(".%09dZ", instant.getNano());
    }

    /** Parses docker's {@code since}/{@code until}: unix seconds with an optional fraction ("1700000000.5"). */
    static Instant parseUnix(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        int dot = value.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? value : value.substring(0, dot));
        long nanos = 0;
        if (dot >= 0) {
            String fraction = (value.substring(dot + 1) + "000000000").substring(0, 9);
            nanos = Long.parseLong(fraction);
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** Like Docker's units.HumanDuration: "Less than a second", "5 seconds", "About a minute", "3 hours", ... */
    static String human(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMinutes() / 60.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }
}
