package dev.slipway.api.router;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An HTTP/1.1 client that talks to the router with any Host header, as a browser resolving *.localhost would. */
final class RouterClient implements AutoCloseable {

    record Reply(int status, MultiMap headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final HttpClient client;
    /**
     * Every request starts on this one event-loop context, so its connection and all callbacks share one thread:
     * a response's body handler is then in place before the first body bytes are read (started from the test
     * thread, a fast response could be read before {@code body()} is attached).
     */
    private final Context context;

    RouterClient(Vertx vertx, int routerPort) {
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(routerPort).setKeepAlive(true));
        context = vertx.getOrCreateContext();
    }

    Reply get(String host, String path, String... headerPairs) throws Exception {
        return send(HttpMethod.GET, host, path, null, headerPairs);
    }

    Reply send(HttpMethod method, String host, String path, Buffer body, String... headerPairs) throws Exception {
        return await(open(method, host, path, headerPairs)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body()
                        .map(b -> new Reply(response.statusCode(), response.headers(), b.toString()))));
    }

    /** Sends {@code blocks} blocks of {@code blockSize} bytes with chunked encoding, writing as the router drains. */
    Reply uploadChunked(String host, String path, int blocks, int blockSize) throws Exception {
        return await(open(HttpMethod.POST, host, path).compose(request -> {
            request.setChunked(true);
            Future<Reply> reply = request.response().compose(response -> response.body()
                    .map(b -> new Reply(response.statusCode(), response.headers(), b.toString())));
            writeBlocks(request, Buffer.buffer(new byte[blockSize]), blocks);
            return reply;
        }));
    }

    /** Counts the bytes of a response body as they stream in, without keeping them. */
    long downloadLength(String host, String path) throws Exception {
        return await(open(HttpMethod.GET, host, path).compose(HttpClientRequest::send).compose(response -> {
            long[] bytes = {0};
            io.vertx.core.Promise<Long> done = io.vertx.core.Promise.promise();
            response.handler(chunk -> bytes[0] += chunk.length());
            response.endHandler(v -> done.complete(bytes[0]));
            response.exceptionHandler(done::tryFail);
            return done.future();
        }));
    }

    /** Opens a streaming GET; each body chunk lands in the returned queue as it arrives (and "<end>" at the end). */
    BlockingQueue<String> stream(String host, String path, String... headerPairs) throws Exception {
        BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
        await(open(HttpMethod.GET, host, path, headerPairs).compose(HttpClientRequest::send).map(response -> {
            chunks.add("status:" + response.statusCode());
            response.handler(chunk -> chunks.add(chunk.toString()));
            response.endHandler(v -> chunks.add("<end>"));
            return response;
        }));
        return chunks;
    }

    private Future<HttpClientRequest> open(HttpMethod method, String host, String path, String... headerPairs) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Host", host);
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(headerPairs[i], headerPairs[i + 1]);
        }
        io.vertx.core.Promise<HttpClientRequest> opened = io.vertx.core.Promise.promise();
        context.runOnContext(v -> client.request(new RequestOptions().setMethod(method).setURI(path)
                .setHeaders(headers)).onComplete(opened));
        return opened.future();
    }

    private static void writeBlocks(HttpClientRequest request, Buffer block, int remaining) {
        int left = remaining;
        while (left > 0 && !request.writeQueueFull()) {
            request.write(block);
            left--;
        }
        if (left == 0) {
            request.end();
            return;
        }
        int rest = left;
        request.drainHandler(v -> writeBlocks(request, block, rest));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close();
    }
}
