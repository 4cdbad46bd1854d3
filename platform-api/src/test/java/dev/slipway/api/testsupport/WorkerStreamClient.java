package dev.slipway.api.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker's side of the stream (docs/worker-protocol.md) spoken by a test through the JDK's WebSocket client:
 * a real client on a real socket, so what it sees is what an engine would see. Frames are JSON; received ones
 * queue up for {@link #next}.
 */
public final class WorkerStreamClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WorkerStreamClient(String baseUrl, String credential) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (credential != null) {
            builder.header("Authorization", "Bearer " + credential);
        }
        try {
            socket = builder.buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/worker/v1/stream"),
                    new Listener()).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("WebSocket connect did not finish", e);
        }
    }

    /** Opens the stream with {@code Authorization: Bearer <credential>} (none if null). */
    public static WorkerStreamClient connect(String baseUrl, String credential) {
        return new WorkerStreamClient(baseUrl, credential);
    }

    /** The HTTP status with which the upgrade was refused, or -1 if it succeeded (and is closed again at once). */
    public static int upgradeStatus(String baseUrl, String credential) {
        try (WorkerStreamClient ignored = connect(baseUrl, credential)) {
            return -1;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof WebSocketHandshakeException h) {
                    return h.getResponse().statusCode();
                }
            }
            throw e;
        }
    }

    public void send(Map<String, Object> frame) {
        try {
            socket.sendText(JSON.writeValueAsString(frame), true).get(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("sending a frame failed", e);
        }
    }

    public void hello(String workerId, double cpu, int memoryMb, List<Map<String, Object>> instances) {
        send(Map.of("type", "hello", "workerId", workerId, "engineVersion", "test-client", "cpu", cpu,
                "memoryMb", memoryMb, "instances", instances));
    }

    public void heartbeat() {
        send(Map.of("type", "heartbeat", "at", java.time.Instant.now().toString()));
    }

    /** The next frame received, failing the test if none arrives in {@link #WAIT}. */
    public JsonNode next() {
        try {
            JsonNode frame = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame from the API within " + WAIT);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame of {@code type}, skipping others (e.g. safety-net assigns). */
    public JsonNode next(String type) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = next();
            if (type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
        throw new AssertionError("no '" + type + "' frame within " + WAIT);
    }

    /** The close code the API sent, waiting up to {@code wait}. */
    public int awaitClose(Duration wait) {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the API did not close the stream within " + wait);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "test done");
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
