package dev.slipway.engine.agent.logs;

import dev.slipway.engine.agent.LogShipping;
import dev.slipway.engine.agent.Outbox;
import dev.slipway.engine.container.ContainerException;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.runtime.ContainerLog;
import dev.slipway.engine.runtime.LogFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Ships every instance's log to the API over the worker stream (docs/worker-protocol.md, {@code logs} up,
 * {@code logAck} down), without losing or repeating a line.
 *
 * <p>The engine's log file is the source of truth and the only buffer that grows: one reader per tracked
 * instance follows the file from the last acknowledged record into a small in-memory window; one sender packs
 * whatever is waiting, across instances, into frames of up to {@link Settings#maxRecordsPerFrame} records or
 * {@link Settings#maxFrameBytes} bytes. Batches are as large as the backlog (throughput) and a lone line goes out
 * as soon as its reader sees it (latency). A reader stops when its instance has {@link Settings#window} records
 * (or {@link Settings#windowBytes} bytes) read but not acknowledged, and resumes when acks arrive. Acknowledged
 * positions go to a {@link ShippingCursor} file per instance (renamed into place); on every (re)connect the
 * readers restart from those cursors, so whatever was in flight is sent again and the API drops the duplicates.
 * An engine killed with {@code kill -9} restarts from the cursors on disk the same way.
 *
 * <p>Lines the engine rotated away before they were shipped (a worker cut off for long while its container
 * wrote more than the kept log files hold) are not silently skipped: the API receives one stderr line saying how
 * many are missing, numbered with the last missing sequence.
 */
public final class LogShipper implements LogShipping {
    private static final Logger LOG = Logger.getLogger(LogShipper.class.getName());
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** Limits; the defaults suit 100k+ lines per second per worker with a few MiB of memory. */
    record Settings(int maxRecordsPerFrame, int maxFrameBytes, int window, long windowBytes, long idleRereadMillis,
                    long cursorFlushMillis) {
        // frames stay well under the API's WebSocket message limit (256 KiB); one record is at most ~96 KiB
        static final Settings DEFAULT = new Settings(2000, 192 << 10, 20_000, 16L << 20, 250, 200);
    }

    /** One record on the wire. */
    public record WireRecord(String instanceId, long seq, String stream, String time, String line, boolean partial) {
        /** Bytes of this record in the frame's JSON (UTF-8, escapes included), plus the fields around it. */
        int size() {
            int bytes = 160;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c < 0x20) {
                    bytes += 6; // a six-character escape
                } else if (c == '"' || c == '\\') {
                    bytes += 2;
                } else if (c < 0x80) {
                    bytes += 1;
                } else if (c < 0x800 || Character.isSurrogate(c)) {
                    bytes += 2;
                } else {
                    bytes += 3;
                }
            }
            return bytes;
        }
    }

    /** A {@code logs} frame. */
    public record LogsFrame(String type, List<WireRecord> records) {
        LogsFrame(List<WireRecord> records) {
            this("logs", records);
        }
    }

    private final Path stateDir;
    private final Function<String, Path> runDirs;
    private final ContainerLog log;
    private final Outbox outbox;
    private final Settings settings;
    private final Map<String, InstanceLog> instances = new ConcurrentHashMap<>();
    private final Object sendLock = new Object();
    private boolean connected; // guarded by sendLock
    private final Semaphore work = new Semaphore(0);
    private volatile boolean running = true;
    private final Thread sender;
    private final Thread flusher;
    private int nextInstance; // round robin start, sender thread only

    public LogShipper(Path stateDir, ContainerService containers, LogFileReader reader, Outbox outbox) {
        this(stateDir, id -> containers.runDir(fullId(containers, id)), reader, outbox, Settings.DEFAULT);
    }

    LogShipper(Path stateDir, Function<String, Path> runDirs, ContainerLog log, Outbox outbox, Settings settings) {
        this.stateDir = stateDir;
        this.runDirs = runDirs;
        this.log = log;
        this.outbox = outbox;
        this.settings = settings;
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the log shipping state dir " + stateDir, e);
        }
        sender = Thread.ofPlatform().daemon().name("log-shipper").start(this::sendLoop);
        flusher = Thread.ofPlatform().daemon().name("log-cursors").start(this::flushLoop);
    }

    private static String fullId(ContainerService containers, String id) {
        try {
            return containers.get(id).id();
        } catch (ContainerException e) {
            return id; // removed meanwhile: the reader finds nothing and waits for untrack
        }
    }

    @Override
    public void track(String instanceId, String containerId) {
        if (!SAFE_ID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("not an instance id: " + instanceId);
        }
        InstanceLog[] started = {null};
        instances.compute(instanceId, (id, existing) -> {
            if (existing != null && existing.cursor().containerId().equals(containerId)) {
                return existing;
            }
            ShippingCursor cursor = existing != null ? existing.cursor()
                    : ShippingCursor.load(cursorFile(id), id, containerId);
            if (existing != null) {
                existing.stop();
            }
            started[0] = new InstanceLog(cursor.forContainer(containerId), runDirs.apply(containerId));
            return started[0];
        });
        if (started[0] != null) {
            // only once it is in the map, where the sender looks for waiting records
            started[0].save();
            started[0].restartReader();
        }
    }

    @Override
    public void untrack(String instanceId) {
        InstanceLog gone = instances.remove(instanceId);
        if (gone != null) {
            gone.stop();
            try {
                Files.deleteIfExists(cursorFile(instanceId));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete the log cursor of instance " + instanceId, e);
            }
        }
    }

    @Override
    public boolean drain(String instanceId, java.time.Duration timeout) throws InterruptedException {
        InstanceLog instance = instances.get(instanceId);
        if (instance == null) {
            return true;
        }
        // read again from the cursor: a reader idling between polls of a changed file would otherwise leave the
        // last lines unread for up to idleRereadMillis; what it resends the API drops as duplicates
        instance.restartReader();
        work.release();
        return instance.awaitDrained(System.nanoTime() + timeout.toNanos());
    }

    @Override
    public void onAck(Map<String, Long> acknowledgedSeqByInstance) {
        acknowledgedSeqByInstance.forEach((id, seq) -> {
            InstanceLog instance = instances.get(id);
            if (instance != null && seq != null) {
                instance.acked(seq);
            }
        });
        work.release();
    }

    @Override
    public void onConnected() {
        synchronized (sendLock) {
            instances.values().forEach(InstanceLog::restartReader);
            connected = true;
        }
        work.release();
    }

    /** The agent calls this before it opens a new stream, so nothing meant for the old one goes on the new one. */
    @Override
    public void onDisconnected() {
        synchronized (sendLock) {
            connected = false;
        }
    }

    @Override
    public void close() {
        running = false;
        instances.values().forEach(InstanceLog::stop);
        sender.interrupt();
        flusher.interrupt();
        instances.values().forEach(InstanceLog::save);
    }

    private Path cursorFile(String instanceId) {
        return stateDir.resolve(instanceId + ".cursor");
    }

    // --- sending ---------------------------------------------------------------------------------------------

    private void sendLoop() {
        while (running) {
            try {
                // a wake-up is a hint; the timeout bounds the cost of one that raced with a change of instances
                work.tryAcquire(settings.idleRereadMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                work.drainPermits();
                boolean more = true;
                while (more && running) {
                    synchronized (sendLock) {
                        if (!connected) {
                            break;
                        }
                        List<WireRecord> frame = collect();
                        if (frame.isEmpty()) {
                            break;
                        }
                        if (!outbox.send(new LogsFrame(frame))) {
                            connected = false; // the stream is gone; onConnected will resend from the cursors
                            break;
                        }
                        more = frame.size() == settings.maxRecordsPerFrame();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "log shipping: sending failed", e);
            }
        }
    }

    /** Takes waiting records from the instances in turn, up to one frame's worth. */
    private List<WireRecord> collect() {
        List<InstanceLog> all = new ArrayList<>(instances.values());
        List<WireRecord> frame = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < all.size() && frame.size() < settings.maxRecordsPerFrame()
                && bytes < settings.maxFrameBytes(); i++) {
            InstanceLog instance = all.get((nextInstance + i) % all.size());
            bytes += instance.drainTo(frame, settings.maxRecordsPerFrame() - frame.size(),
                    settings.maxFrameBytes() - bytes);
        }
        nextInstance++;
        return frame;
    }

    private void flushLoop() {
        while (running) {
            try {
                Thread.sleep(settings.cursorFlushMillis());
            } catch (InterruptedException e) {
                return;
            }
            instances.values().forEach(InstanceLog::saveIfChanged);
        }
    }

    /** One tracked instance: its cursor, its reader and the records read but not yet acknowledged. */
    private final class InstanceLog {
        private final Path runDir;
        private ShippingCursor cursor; // guarded by this
        private boolean cursorChanged; // guarded by this
        private final java.util.ArrayDeque<WireRecord> waiting = new java.util.ArrayDeque<>(); // read, not sent
        private final java.util.ArrayDeque<long[]> inFlight = new java.util.ArrayDeque<>(); // {wire seq, bytes}
        private long outstandingBytes;
        private int epoch;
        private Thread reader;
        private boolean stopped;
        private boolean atEnd; // the current reader read the file to its end after the container exited

        InstanceLog(ShippingCursor cursor, Path runDir) {
            this.cursor = cursor;
            this.runDir = runDir;
        }

        synchronized ShippingCursor cursor() {
            return cursor;
        }

        /** Forgets what was read and not acknowledged and reads again from the cursor. */
        synchronized void restartReader() {
            if (stopped) {
                return;
            }
            epoch++;
            atEnd = false;
            waiting.clear();
            inFlight.clear();
            outstandingBytes = 0;
            if (reader != null) {
                reader.interrupt();
            }
            int myEpoch = epoch;
            reader = Thread.ofVirtual().name("log-reader-" + cursor.instanceId()).start(() -> readLoop(myEpoch));
            notifyAll();
        }

        synchronized void stop() {
            stopped = true;
            epoch++;
            if (reader != null) {
                reader.interrupt();
            }
            notifyAll();
        }

        private synchronized boolean current(int myEpoch) {
            return !stopped && epoch == myEpoch && running;
        }

        private void readLoop(int myEpoch) {
            long after;
            synchronized (this) {
                after = cursor.ackedRecordSeq();
            }
            long[] expected = {after + 1};
            while (current(myEpoch)) {
                try {
                    long[] last = {expected[0] - 1};
                    log.read(runDir, last[0], -1, true, r -> true, r -> {
                        if (!offer(myEpoch, r, expected[0])) {
                            return false;
                        }
                        expected[0] = r.sequence() + 1;
                        return true;
                    });
                    reachedEnd(myEpoch);
                    awaitChange(myEpoch); // exited and drained: wait until a restart writes again
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // no run dir yet (created, not started) or being replaced: look again shortly
                    if (!Files.exists(runDir.resolve("log"))) {
                        reachedEnd(myEpoch); // a container that never wrote has nothing for drain to wait for
                    }
                    try {
                        Thread.sleep(settings.idleRereadMillis());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        private synchronized void reachedEnd(int myEpoch) {
            if (current(myEpoch)) {
                atEnd = true;
                notifyAll();
            }
        }

        /** Waits until everything up to the end of the exited container's file is acknowledged, or the deadline. */
        synchronized boolean awaitDrained(long deadlineNanos) throws InterruptedException {
            while (!(atEnd && waiting.isEmpty() && inFlight.isEmpty())) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || stopped) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        /** Returns when the current log file changed (cheap stat calls, no re-reading of the file). */
        private void awaitChange(int myEpoch) throws InterruptedException {
            Object before = fingerprint();
            while (current(myEpoch) && before.equals(fingerprint())) {
                Thread.sleep(settings.idleRereadMillis());
            }
        }

        private Object fingerprint() {
            Path current = runDir.resolve("log");
            try {
                var attributes = Files.readAttributes(current, java.nio.file.attribute.BasicFileAttributes.class);
                return List.of(String.valueOf(attributes.fileKey()), attributes.size(),
                        Files.exists(runDir.resolve("exit")));
            } catch (IOException e) {
                return List.of("none");
            }
        }

        /** Queues one record (after a gap notice if records are missing); blocks while the window is full. */
        private boolean offer(int myEpoch, ContainerLog.Record r, long expected) {
            synchronized (this) {
                try {
                    while (current(myEpoch) && (waiting.size() + inFlight.size() >= settings.window()
                            || outstandingBytes >= settings.windowBytes())) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (!current(myEpoch)) {
                    return false;
                }
                if (r.sequence() > expected) {
                    long missing = r.sequence() - expected;
                    add(new WireRecord(cursor.instanceId(), cursor.wireSeq(r.sequence() - 1), "stderr",
                            r.timestamp().toString(), "[slipway] " + missing + " earlier log line"
                            + (missing == 1 ? " was" : "s were") + " rotated away on the worker before "
                            + "they could be shipped", false));
                }
                add(new WireRecord(cursor.instanceId(), cursor.wireSeq(r.sequence()),
                        r.stream() == ContainerLog.Record.STDERR ? "stderr" : "stdout", r.timestamp().toString(),
                        new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8), r.partial()));
            }
            work.release();
            return true;
        }

        private void add(WireRecord record) {
            waiting.addLast(record);
            outstandingBytes += record.size();
        }

        /** Moves up to {@code maxRecords}/{@code maxBytes} waiting records into {@code frame}; returns bytes moved. */
        synchronized int drainTo(List<WireRecord> frame, int maxRecords, int maxBytes) {
            int bytes = 0;
            int n = 0;
            while (n < maxRecords && !waiting.isEmpty()
                    && (n == 0 || bytes + waiting.peekFirst().size() <= maxBytes)) {
                WireRecord r = waiting.pollFirst();
                frame.add(r);
                inFlight.addLast(new long[] {r.seq(), r.size()});
                bytes += r.size();
                n++;
            }
            return bytes;
        }

        synchronized void acked(long wireSeq) {
            ShippingCursor moved = cursor.acked(wireSeq);
            if (moved != cursor) {
                cursor = moved;
                cursorChanged = true;
            }
            while (!inFlight.isEmpty() && inFlight.peekFirst()[0] <= wireSeq) {
                outstandingBytes -= inFlight.pollFirst()[1];
            }
            notifyAll();
        }

        void saveIfChanged() {
            synchronized (this) {
                if (!cursorChanged || stopped) {
                    return;
                }
                cursorChanged = false;
            }
            save();
        }

        void save() {
            ShippingCursor snapshot;
            synchronized (this) {
                snapshot = cursor;
            }
            try {
                snapshot.save(cursorFile(snapshot.instanceId()));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot save the log cursor of instance " + snapshot.instanceId()
                        + " (lines will be sent again after a restart)", e);
            }
        }
    }

}
