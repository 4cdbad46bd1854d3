package dev.slipway.engine.agent.logs;

import dev.slipway.engine.agent.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API's side of log shipping, in memory: stores records once per (instance, seq) as the real sink does,
 * counts what arrived twice, and acknowledges each frame with the highest stored sequence per instance (unless
 * told to hold acknowledgements back). {@link #outbox} is one connection: it can be cut.
 */
final class FakeApi {
    final Map<String, List<LogShipper.WireRecord>> stored = new ConcurrentHashMap<>();
    final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicBoolean acking = new AtomicBoolean(true);
    /** The largest frame seen, as JSON bytes: the real API refuses WebSocket messages over 256 KiB. */
    final AtomicLong largestFrame = new AtomicLong();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    volatile LogShipper shipper;

    /** A connection to this API; {@link Connection#cut} makes it refuse everything, as a dead stream does. */
    final class Connection implements Outbox {
        final AtomicBoolean open = new AtomicBoolean(true);

        @Override
        public boolean send(Object message) {
            if (!open.get()) {
                return false;
            }
            LogShipper.LogsFrame frame = (LogShipper.LogsFrame) message;
            try {
                largestFrame.accumulateAndGet(JSON.writeValueAsBytes(frame).length, Math::max);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            Map<String, Long> acks = new java.util.HashMap<>();
            synchronized (FakeApi.this) {
                for (LogShipper.WireRecord r : frame.records()) {
                    received.incrementAndGet();
                    long last = lastSeq.getOrDefault(r.instanceId(), -1L);
                    if (r.seq() <= last) {
                        duplicates.incrementAndGet();
                    } else {
                        stored.computeIfAbsent(r.instanceId(), k -> new ArrayList<>()).add(r);
                        lastSeq.put(r.instanceId(), r.seq());
                    }
                    acks.put(r.instanceId(), lastSeq.get(r.instanceId()));
                }
            }
            if (acking.get() && shipper != null) {
                LogShipper target = shipper;
                Thread.ofVirtual().start(() -> target.onAck(acks)); // acks come back on another thread
            }
            return true;
        }

        void cut() {
            open.set(false);
        }
    }

    synchronized int storedCount(String instance) {
        return stored.getOrDefault(instance, List.of()).size();
    }

    synchronized List<LogShipper.WireRecord> lines(String instance) {
        return List.copyOf(stored.getOrDefault(instance, List.of()));
    }
}
