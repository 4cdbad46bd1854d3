package dev.slipway.api.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes an app's log lines to one HTTP response: history as JSON lines, or history then live lines as
 * Server-Sent Events whose {@code id:} is the line's cursor. Runs on the response's own (virtual) thread and
 * blocks only that thread when the client reads slowly.
 */
@ApplicationScoped
public class LogStreamer {

    /** The JSON of one line on the wire (docs/logs.md). */
    public record Entry(String cursor, UUID instanceId, String stream, String time, String line, boolean partial) {
        static Entry of(LogLine l) {
            return new Entry(Long.toString(l.pos()), l.instanceId(), l.streamName(), l.time().toString(), l.line(),
                    l.partial());
        }
    }

    private static final int PAGE = 2000;
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    @Inject
    LogStore store;

    @Inject
    LogFeeds feeds;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "slipway.logs.viewer-buffer", defaultValue = "10000")
    int viewerBuffer;

    @ConfigProperty(name = "slipway.logs.keepalive-seconds", defaultValue = "15")
    int keepaliveSeconds;

    /** Lines up to the app's head at the time of the call; ends when they are written. */
    void history(UUID appId, LogRequest request, OutputStream out) throws IOException {
        Writer writer = new Writer(out, false);
        long head = store.head(appId);
        if (request.tail() != null) {
            writer.tail(appId, request, head);
        } else {
            writer.pages(appId, request.filter(), request.cursor() == null ? 0 : request.cursor(), head);
        }
        out.flush();
    }

    /** History, then live lines until the client goes away or falls too far behind (then a dropped event). */
    void follow(UUID appId, LogRequest request, OutputStream out) throws IOException, InterruptedException {
        Writer writer = new Writer(out, true);
        LogViewer viewer = new LogViewer(request.filter(), viewerBuffer);
        long attachedAt = feeds.attach(appId, viewer);
        try {
            if (request.cursor() != null) {
                writer.pages(appId, request.filter(), request.cursor(), attachedAt);
            } else if (request.tail() != null) {
                writer.tail(appId, request, attachedAt);
            } else {
                writer.pages(appId, request.filter(), 0, attachedAt);
            }
            long delivered = Math.max(attachedAt, request.cursor() == null ? 0 : request.cursor());
            out.flush();
            while (true) {
                LogLine line = viewer.poll(keepaliveSeconds, TimeUnit.SECONDS);
                if (line == null && !viewer.overflowed()) {
                    out.write(KEEPALIVE); // also how a vanished client is noticed
                    out.flush();
                    continue;
                }
                while (line != null) {
                    if (line.pos() > delivered) {
                        writer.line(line);
                        delivered = line.pos();
                    }
                    line = viewer.poll();
                }
                if (viewer.overflowed()) {
                    writer.dropped(viewer.dropped());
                    out.flush();
                    return;
                }
                out.flush();
            }
        } finally {
            feeds.detach(appId, viewer);
        }
    }

    /** Formats lines as JSON lines or SSE events and remembers the last cursor written. */
    private final class Writer {
        private final OutputStream out;
        private final boolean events;
        private long lastCursor = -1;

        Writer(OutputStream out, boolean events) {
            this.out = out;
            this.events = events;
        }

        void tail(UUID appId, LogRequest request, long upTo) throws IOException {
            List<LogLine> newestFirst = store.tail(appId, request.filter(), upTo, request.tail());
            for (int i = newestFirst.size() - 1; i >= 0; i--) {
                line(newestFirst.get(i));
            }
        }

        void pages(UUID appId, LogFilter filter, long after, long upTo) throws IOException {
            long from = after;
            while (from < upTo) {
                long[] last = {from};
                int n;
                try {
                    n = store.page(appId, filter, from, upTo, PAGE, l -> {
                        try {
                            line(l);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        last[0] = l.pos();
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                if (n < PAGE) {
                    return;
                }
                from = last[0];
            }
        }

        void line(LogLine line) throws IOException {
            byte[] body = json.writeValueAsBytes(Entry.of(line));
            if (events) {
                out.write(("id: " + line.pos() + "\nevent: log\ndata: ").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.write('\n');
                out.write('\n');
            } else {
                out.write(body);
                out.write('\n');
            }
            lastCursor = line.pos();
        }

        void dropped(long count) throws IOException {
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("count", count);
            data.put("cursor", lastCursor < 0 ? null : Long.toString(lastCursor));
            out.write("event: dropped\ndata: ".getBytes(StandardCharsets.US_ASCII));
            out.write(json.writeValueAsBytes(data));
            out.write('\n');
            out.write('\n');
        }
    }
}
