package dev.slipway.engine.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The response side of one exchange. A handler ends it exactly once: with a complete body ({@link #json},
 * {@link #send}, {@link #empty}), as a chunked stream ({@link #stream}) or by taking the connection over
 * ({@link #hijack}).
 */
public final class HttpResponse {

    private final OutputStream out;
    private final InputStream in;
    private final SocketChannel channel;
    private final ObjectMapper json;
    private final Map<String, String> commonHeaders;
    private final boolean upgradeRequested;
    private boolean committed;
    private boolean hijacked;
    private ChunkedOutputStream stream;
    private int status;

    HttpResponse(OutputStream out, InputStream in, SocketChannel channel, ObjectMapper json,
                 Map<String, String> commonHeaders, boolean upgradeRequested) {
        this.out = out;
        this.in = in;
        this.channel = channel;
        this.json = json;
        this.commonHeaders = commonHeaders;
        this.upgradeRequested = upgradeRequested;
    }

    public void json(int status, Object body) throws IOException {
        send(status, "application/json", json.writeValueAsBytes(body));
    }

    public void empty(int status) throws IOException {
        send(status, null, new byte[0]);
    }

    public void send(int status, String contentType, byte[] body) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.put("Content-Length", Integer.toString(body.length));
        writeHead(status, reason(status), headers);
        out.write(body);
        out.flush();
    }

    /**
     * Starts a chunked body and flushes the head at once (docker's wait and pull rely on seeing the status
     * before the body). Each {@code flush()} on the returned stream delivers a chunk; {@code close()} ends it.
     */
    public ChunkedOutputStream stream(int status, String contentType) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Transfer-Encoding", "chunked");
        writeHead(status, reason(status), headers);
        out.flush();
        stream = new ChunkedOutputStream(out);
        return stream;
    }

    /**
     * Takes the connection over for a raw bidirectional stream (attach, exec start): {@code 101 UPGRADED} when the
     * client asked for {@code Upgrade: tcp}, else a {@code 200} whose body runs until the connection closes.
     */
    public Hijacked hijack(String contentType) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        if (upgradeRequested) {
            headers.put("Connection", "Upgrade");
            headers.put("Upgrade", "tcp");
            writeHead(101, "UPGRADED", headers);
        } else {
            writeHead(200, "OK", headers);
        }
        out.flush();
        hijacked = true;
        return new Hijacked(in, out, channel);
    }

    boolean committed() {
        return committed;
    }

    boolean hijacked() {
        return hijacked;
    }

    int status() {
        return status;
    }

    /** Ends an unterminated chunked stream so the connection can carry the next request. */
    void finish() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }

    private void writeHead(int status, String reason, Map<String, String> headers) throws IOException {
        if (committed) {
            throw new IllegalStateException("response already started");
        }
        committed = true;
        this.status = status;
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        commonHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            default -> "Status";
        };
    }

    /** A connection taken over by a handler; closing it is the handler's job. */
    public record Hijacked(InputStream in, OutputStream out, SocketChannel channel) implements AutoCloseable {
        /** How long a client may keep sending after the stream ended before the connection is cut. */
        private static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);

        /**
         * Ends the stream the way clients expect: the output is half-closed first, then whatever the client still
         * sends (a terminal's last keystrokes, stdin it had queued) is read until it closes its side. Closing a
         * socket with unread input makes the kernel reset the connection, and the docker CLI then reports
         * "connection reset by peer" and fails an `exec -it` that succeeded.
         */
        @Override
        public void close() throws IOException {
            try {
                out.flush();
                channel.shutdownOutput();
                Thread drain = Thread.ofVirtual().start(() -> {
                    try {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        // the client is gone; nothing left to read
                    }
                });
                drain.join(DRAIN_LIMIT);
            } catch (IOException e) {
                // the client went away first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                channel.close();
            }
        }
    }
}
