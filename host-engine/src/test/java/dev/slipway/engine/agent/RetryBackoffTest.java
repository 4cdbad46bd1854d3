package dev.slipway.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    @Test
    void restartsDoubleFromOneSecondToFiveMinutesAndStartOverAfterAReset() {
        RetryBackoff backoff = RetryBackoff.forRestarts();
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            seconds.add(backoff.next().toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L), seconds);
        backoff.reset();
        assertEquals(Duration.ofSeconds(1), backoff.next());
    }

    @Test
    void connectsAreJitteredWithinTheUpperHalfOfEachStep() {
        RetryBackoff backoff = RetryBackoff.forConnects();
        long step = 500;
        for (int i = 0; i < 12; i++) {
            long delay = backoff.next().toMillis();
            assertTrue(delay >= step / 2 && delay <= step, "step " + step + ": " + delay);
            step = Math.min(step * 2, 30_000);
        }
    }

    @Test
    void capacityKeepsAReserveForTheHost() {
        assertEquals(new HostCapacity(4, 8192 - 819), HostCapacity.of(4, 8192L * 1024));
        assertEquals(new HostCapacity(2, 1024 - 256), HostCapacity.of(2, 1024L * 1024));
        assertEquals(new HostCapacity(64, 262144 - 1024), HostCapacity.of(64, 262144L * 1024));
    }
}
