package dev.slipway.api.logs;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one live feed of an app on this replica: a virtual thread that reads the app's new lines from the store
 * once (however many viewers there are) and offers each to every attached {@link LogViewer}.
 *
 * <p>Lifecycle: {@link LogFeeds} creates it for the first viewer, starting at the app's current head; it reads
 * when woken (local ingestion, a NOTIFY from another replica) and at least every {@link #IDLE_POLL_MILLIS} (a
 * lost notification costs latency, never lines); {@link #stop} ends it after the last viewer left.
 */
final class AppFeed {
    private static final Logger LOG = Logger.getLogger(AppFeed.class.getName());
    static final long IDLE_POLL_MILLIS = 1000;
    private static final int PAGE = 2000;

    private final UUID appId;
    private final LogStore store;
    private final List<LogViewer> viewers = new CopyOnWriteArrayList<>();
    private final Semaphore wakeups = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private long lastPos;

    AppFeed(UUID appId, LogStore store) {
        this.appId = appId;
        this.store = store;
        this.lastPos = store.head(appId);
        this.thread = Thread.ofVirtual().name("log-feed-" + appId).start(this::run);
    }

    /**
     * Attaches a viewer and returns the position it starts after: everything up to it the viewer reads from the
     * store itself, everything after it arrives in its queue (no gap, no overlap: both happen under the lock the
     * feed holds while it hands out a page).
     */
    synchronized long attach(LogViewer viewer) {
        viewers.add(viewer);
        return lastPos;
    }

    void detach(LogViewer viewer) {
        viewers.remove(viewer);
    }

    boolean idle() {
        return viewers.isEmpty();
    }

    void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    void stop() {
        running = false;
        thread.interrupt();
    }

    private void run() {
        while (running) {
            try {
                wakeups.tryAcquire(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
                while (running && readPage() == PAGE) {
                    // keep reading while pages come back full
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "live log feed of app " + appId + " failed to read; retrying", e);
                try {
                    Thread.sleep(IDLE_POLL_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private int readPage() {
        long from;
        synchronized (this) {
            from = lastPos;
        }
        List<LogLine> page = new java.util.ArrayList<>(PAGE);
        store.page(appId, LogFilter.ALL, from, Long.MAX_VALUE, PAGE, page::add);
        if (page.isEmpty()) {
            return 0;
        }
        synchronized (this) {
            for (LogLine line : page) {
                for (LogViewer viewer : viewers) {
                    viewer.offer(line);
                }
            }
            lastPos = page.getLast().pos();
        }
        return page.size();
    }
}
