package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.image.ImageStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Docker's JSON message stream (pull, load): one object per line, flushed at once so the CLI can draw bars. */
final class ProgressWriter implements ImageStore.ProgressListener {

    private final OutputStream out;
    private final ObjectMapper json;

    ProgressWriter(OutputStream out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public void progress(String id, String status, long current, long total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        if (total > 0) {
            m.put("progressDetail", Map.of("current", current, "total", total));
        }
        if (id != null) {
            m.put("id", id);
        }
        send(m);
    }

    void status(String id, String status) {
        progress(id, status, 0, 0);
    }

    void stream(String text) {
        send(Map.of("stream", text));
    }

    void error(String message) {
        send(Map.of("errorDetail", Map.of("message", message), "error", message));
    }

    private void send(Map<String, Object> message) {
        try {
            synchronized (out) {
                out.write(json.writeValueAsBytes(message));
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("client went away", e);
        }
    }
}
