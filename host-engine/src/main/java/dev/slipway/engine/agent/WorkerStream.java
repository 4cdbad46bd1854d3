package dev.slipway.engine.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker's one long-lived WebSocket to {@code {api}/worker/v1/stream}, authenticated with its credential.
 *
 * <p>Lifecycle: {@link #start} runs a connect loop on its own thread: connect, {@link Listener#onConnected},
 * frames to {@link Listener#onFrame} in arrival order, {@link Listener#onDisconnected} when the connection ends
 * for any reason, then reconnect after a jittered back-off (reset once the API has spoken on a connection). A
 * {@code 401} answer to the upgrade means the credential was revoked: {@link Listener#onRevoked} and the loop
 * ends for good. {@link #close} ends the loop and the connection.
 *
 * <p>As the {@link Outbox}, {@link #send} serialises the message and queues it on the current connection
 * (frames go out one at a time, in order, as the JDK's WebSocket requires); it never waits for the network and
 * drops the message when there is no connection or the queue is full (a stalled API).
 */
public final class WorkerStream implements Outbox, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkerStream.class.getName());
    static final int MAX_QUEUED_FRAMES = 4096;

    /** Receives the stream's events; called from the stream's threads, one at a time per connection. */
    public interface Listener {
        void onConnected();

        void onFrame(JsonNode frame);

        void onDisconnected();

        /** The API refused the credential: the worker has been deregistered. */
        void onRevoked(String message);
    }

    private final HttpClient http;
    private final URI streamUri;
    private final Supplier<String> credential;
    private final ObjectMapper json;
    private final Listener listener;
    private final RetryBackoff backoff = RetryBackoff.forConnects();
    private volatile Connection current;
    private volatile boolean closed;
    private Thread loop;

    public WorkerStream(HttpClient http, URI api, Supplier<String> credential, ObjectMapper json, Listener listener) {
        this.http = http;
        String scheme = "https".equals(api.getScheme()) ? "wss" : "ws";
        this.streamUri = URI.create(scheme + "://" + api.getRawAuthority() + api.getRawPath() + "/worker/v1/stream");
        this.credential = credential;
        this.json = json;
        this.listener = listener;
    }

    public synchronized void start() {
        if (loop == null) {
            loop = Thread.ofVirtual().name("worker-stream").start(this::run);
        }
    }

    public boolean connected() {
        return current != null;
    }

    @Override
    public boolean send(Object message) {
        Connection c = current;
        if (c == null) {
            return false;
        }
        String text;
        try {
            text = message instanceof String s ? s : json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            LOG.log(Level.WARNING, "cannot serialise " + message.getClass().getSimpleName(), e);
            return false;
        }
        return c.enqueue(text);
    }

    /** Ends the connection if it has not answered a ping for {@code silence} (a dead peer behind a live TCP). */
    public void probe(Duration silence) {
        Connection c = current;
        if (c != null) {
            c.probe(silence);
        }
    }

    private void run() {
        while (!closed) {
            Connection c = null;
            try {
                CompletableFuture<Void> ended = new CompletableFuture<>();
                Frames frames = new Frames(ended);
                WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(15))
                        .header("Authorization", "Bearer " + credential.get())
                        .buildAsync(streamUri, frames).get(30, TimeUnit.SECONDS);
                c = new Connection(ws, frames);
                current = c;
                LOG.info("connected to " + streamUri);
                listener.onConnected();
                ended.get();
                LOG.warning("stream to " + streamUri + " ended" + (frames.closeReason == null ? ""
                        : ": " + frames.closeReason) + "; reconnecting");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof WebSocketHandshakeException handshake
                        && handshake.getResponse().statusCode() == 401) {
                    closed = true;
                    listener.onRevoked("the API refused this worker's credential (401) at " + streamUri
                            + ": the worker was deregistered or its credential revoked");
                    return;
                }
                LOG.warning("stream to " + streamUri + " failed: " + (cause == null ? e : cause));
            } catch (TimeoutException e) {
                LOG.warning("stream to " + streamUri + ": connect timed out");
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stream to " + streamUri + " failed", e);
            } finally {
                if (c != null) {
                    current = null;
                    c.abort();
                    try {
                        listener.onDisconnected();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "disconnect handling failed", e);
                    }
                    if (c.frames.heard) {
                        backoff.reset();
                    }
                }
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(backoff.next());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            c.closeNormally();
        }
        Thread t;
        synchronized (this) {
            t = loop;
        }
        if (t != null) {
            t.interrupt();
        }
    }

    /** Reassembles text frames and hands whole messages on; asks for one message at a time. */
    private final class Frames implements WebSocket.Listener {
        private final CompletableFuture<Void> ended;
        private final StringBuilder partial = new StringBuilder();
        volatile boolean heard;
        volatile Instant lastPong = Instant.now();
        volatile String closeReason;

        Frames(CompletableFuture<Void> ended) {
            this.ended = ended;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                heard = true;
                try {
                    listener.onFrame(json.readTree(text));
                } catch (JsonProcessingException e) {
                    LOG.warning("ignored a frame that is not JSON: " + abbreviate(text));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "handling a frame failed: " + abbreviate(text), e);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            lastPong = Instant.now();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeReason = statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason);
            ended.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeReason = String.valueOf(error);
            ended.complete(null);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** One open WebSocket and its send queue. */
    private static final class Connection {
        private final WebSocket ws;
        private final Frames frames;
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private boolean sending;
        private boolean dead;

        Connection(WebSocket ws, Frames frames) {
            this.ws = ws;
            this.frames = frames;
        }

        synchronized boolean enqueue(String text) {
            if (dead || queue.size() >= MAX_QUEUED_FRAMES) {
                return false;
            }
            queue.addLast(text);
            if (!sending) {
                sending = true;
                sendNext();
            }
            return true;
        }

        /** Called with the lock held; the completion re-enters through {@link #sent}. */
        private void sendNext() {
            String next = queue.pollFirst();
            if (next == null || dead) {
                sending = false;
                return;
            }
            ws.sendText(next, true).whenComplete((w, failure) -> sent(failure));
        }

        private synchronized void sent(Throwable failure) {
            if (failure != null) {
                LOG.warning("sending on the stream failed: " + failure);
                dead = true;
                queue.clear();
                frames.ended.complete(null);
                sending = false;
                return;
            }
            sendNext();
        }

        void probe(Duration silence) {
            if (Duration.between(frames.lastPong, Instant.now()).compareTo(silence) > 0) {
                LOG.warning("the API has not answered pings for " + silence.toSeconds() + " s; reconnecting");
                frames.ended.complete(null);
                return;
            }
            try {
                ws.sendPing(ByteBuffer.allocate(0));
            } catch (IllegalStateException previousPingPending) {
                // the last ping is still on its way: the silence check above covers a peer that stopped answering
            }
        }

        void closeNormally() {
            synchronized (this) {
                dead = true;
                queue.clear();
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "worker stopping").orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((w, e) -> ws.abort());
            frames.ended.complete(null);
        }

        void abort() {
            synchronized (this) {
                dead = true;
                queue.clear();
            }
            ws.abort();
        }
    }
}
