package dev.slipway.api.logs;

import dev.slipway.api.apps.AppService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.UUID;

/** An app's logs: history as JSON lines, or live as Server-Sent Events (docs/logs.md). */
@Path("/api/v1/tenants/{tenant}/apps/{app}/logs")
public class LogResource {

    static final String NDJSON = "application/x-ndjson";
    static final String EVENT_STREAM = "text/event-stream";

    @Inject
    AppService apps;

    @Inject
    LogStreamer streamer;

    // A follower holds its request for as long as it watches: a virtual thread each, not a worker-pool thread.
    @GET
    @RunOnVirtualThread
    public Response logs(@PathParam("tenant") String tenant, @PathParam("app") String app,
            @QueryParam("tail") String tail, @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("instance") String instance, @QueryParam("stream") String stream, @QueryParam("q") String q,
            @QueryParam("follow") String follow, @QueryParam("cursor") String cursor,
            @HeaderParam("Last-Event-ID") String lastEventId) {
        UUID appId = apps.read(tenant, app).id; // the tenant check: viewer role or higher, else 404
        LogRequest request = LogRequest.parse(tail, since, until, instance, stream, q, follow, cursor, lastEventId,
                Instant.now());
        StreamingOutput body = request.follow()
                ? out -> {
                    try {
                        streamer.follow(appId, request, out);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("log follower interrupted");
                    }
                }
                : out -> streamer.history(appId, request, out);
        return Response.ok(body, request.follow() ? EVENT_STREAM : NDJSON)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no") // proxies must not hold back live lines
                .build();
    }
}
