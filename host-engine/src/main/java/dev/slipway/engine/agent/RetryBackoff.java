package dev.slipway.engine.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off: {@code initial}, twice that, ... capped at {@code max}. With jitter each delay is drawn
 * from [delay/2, delay], so many workers that lost the API at the same moment do not all come back at once.
 * Not thread-safe: one owner.
 */
public final class RetryBackoff {

    private final Duration initial;
    private final Duration max;
    private final boolean jitter;
    private Duration next;

    public RetryBackoff(Duration initial, Duration max, boolean jitter) {
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.next = initial;
    }

    /** Restart back-off of crashed instances: 1 s, 2 s, 4 s ... 5 min, no jitter (the sequence is the contract). */
    public static RetryBackoff forRestarts() {
        return new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5), false);
    }

    /** Back-off of joins and reconnects: 0.5 s doubling to 30 s, with jitter. */
    public static RetryBackoff forConnects() {
        return new RetryBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), true);
    }

    /** The delay before the next attempt; the one after it doubles (up to the cap). */
    public Duration next() {
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        if (!jitter) {
            return delay;
        }
        long millis = delay.toMillis();
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    public void reset() {
        next = initial;
    }
}
