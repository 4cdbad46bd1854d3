package dev.slipway.api.router;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 standing in for an app instance. Routes: {@code /} answers its name,
 * {@code /headers} the request headers it received as JSON, {@code /sse} two events with a pause the test ends,
 * {@code /slow} never answers, {@code /drop} reads the body and closes the connection without an answer,
 * {@code /upload} counts the body's bytes, {@code /download?bytes=N} streams N bytes, {@code /ws} echoes WebSocket
 * messages. It counts requests and TCP connections.
 */
final class TestBackend implements AutoCloseable {

    final String name;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger drops = new AtomicInteger();
    /** Event streams whose connection closed before they ended. */
    final AtomicInteger abandonedStreams = new AtomicInteger();
    /** Completing it lets {@code /sse} send its second event. */
    volatile Promise<Void> sseSecond;
    private final HttpServer server;

    private TestBackend(String name, HttpServer server) {
        this.name = name;
        this.server = server;
    }

    static TestBackend start(Vertx vertx, String name) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        TestBackend backend = new TestBackend(name, server);
        server.connectionHandler(c -> backend.connections.incrementAndGet());
        server.requestHandler(backend::handle);
        server.webSocketHandler(ws -> {
            if (!"/ws".equals(ws.path())) {
                ws.reject(404);
                return;
            }
            ws.textMessageHandler(text -> ws.writeTextMessage(backend.name + ":" + text));
        });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return backend;
    }

    String endpoint() {
        return "127.0.0.1:" + server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        switch (request.path()) {
            case "/headers" -> {
                JsonObject seen = new JsonObject();
                request.headers().forEach(h -> seen.put(h.getKey().toLowerCase(), h.getValue()));
                request.response().putHeader("Content-Type", "application/json").end(seen.encode());
            }
            case "/sse" -> {
                sseSecond = Promise.promise();
                var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                response.closeHandler(v -> abandonedStreams.incrementAndGet());
                response.write("data: one\n\n");
                sseSecond.future().onComplete(v -> response.end("data: two\n\n"));
            }
            case "/slow" -> {
                // never answers
            }
            case "/drop" -> request.body().onComplete(body -> {
                drops.incrementAndGet();
                request.connection().close();
            });
            case "/upload" -> {
                AtomicLong bytes = new AtomicLong();
                request.handler(chunk -> bytes.addAndGet(chunk.length()));
                request.endHandler(v -> request.response().end(Long.toString(bytes.get())));
            }
            case "/download" -> {
                long total = Long.parseLong(request.getParam("bytes"));
                var response = request.response().setChunked(true);
                Buffer block = Buffer.buffer(new byte[64 * 1024]);
                streamBlocks(response, block, total);
            }
            default -> request.response().putHeader("Content-Type", "text/plain").end(name);
        }
    }

    private static void streamBlocks(io.vertx.core.http.HttpServerResponse response, Buffer block, long remaining) {
        while (remaining > 0 && !response.writeQueueFull()) {
            int n = (int) Math.min(block.length(), remaining);
            response.write(n == block.length() ? block : block.getBuffer(0, n));
            remaining -= n;
        }
        if (remaining == 0) {
            response.end();
            return;
        }
        long left = remaining;
        response.drainHandler(v -> streamBlocks(response, block, left));
    }

    @Override
    public void close() throws Exception {
        CompletableFuture<Void> closed = server.close().toCompletionStage().toCompletableFuture();
        closed.get(10, TimeUnit.SECONDS);
    }
}
