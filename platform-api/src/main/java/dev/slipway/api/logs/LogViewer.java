package dev.slipway.api.logs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One follower of an app's live feed: a bounded queue between the shared {@link AppFeed} (which never waits for
 * a viewer) and the viewer's own HTTP response. When the queue is full the viewer is marked overflowed and every
 * further line it would have received is counted, not queued; its response then ends with a {@code dropped}
 * event so the client resumes from the last line it got. A slow viewer therefore costs memory up to its bound
 * and nothing else.
 */
final class LogViewer {
    private final LogFilter filter;
    private final ArrayBlockingQueue<LogLine> queue;
    private volatile long dropped;
    private volatile boolean overflowed;

    LogViewer(LogFilter filter, int capacity) {
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Called by the feed, never blocks. */
    void offer(LogLine line) {
        if (!filter.matches(line)) {
            return;
        }
        if (overflowed || !queue.offer(line)) {
            overflowed = true;
            dropped++; // only the feed thread writes
        }
    }

    LogLine poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    LogLine poll() {
        return queue.poll();
    }

    boolean overflowed() {
        return overflowed;
    }

    long dropped() {
        return dropped;
    }
}
