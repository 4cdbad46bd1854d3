package dev.slipway.api.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A Server-Sent Events reader over a real HTTP connection, the way the dashboard's fetch() reads them. */
final class SseClient implements AutoCloseable {

    record Event(String id, String type, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build(); // one connection per follower, as EventSource over HTTP/1.1

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final java.util.concurrent.ExecutorService READER =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final HttpResponse<InputStream> response;
    private final BufferedReader reader;

    SseClient(URI uri, String bearer, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /**
     * The next event (comments skipped), or null when the server ended the stream; fails after {@link #PATIENCE}
     * without one, so a stream that stalls fails its test instead of hanging the build.
     */
    Event next() throws IOException {
        java.util.concurrent.Future<Event> event = READER.submit(this::read);
        try {
            return event.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException stalled) {
            close(); // ends the blocked read
            throw new AssertionError("no SSE event within " + PATIENCE + " on " + response.uri());
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Event read() throws IOException {
        String id = null;
        String type = "message";
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(id, type, data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
            switch (field) {
                case "id" -> id = value;
                case "event" -> type = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        response.body().close(); // cancels the request: the server sees the client go away
    }
}
