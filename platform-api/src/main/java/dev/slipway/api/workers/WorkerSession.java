package dev.slipway.api.workers;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import java.time.Instant;
import java.util.UUID;

/**
 * One worker's live stream on this replica. Life: opened after the upgrade check -> welcomed once its
 * {@code hello} is stored -> closed (by the worker, by a newer connection of the same worker, or by the API when
 * the worker is removed, lost or connected elsewhere). Everything sent to the worker goes through {@link #send}
 * under one lock, so a {@code welcome} always precedes the first {@code assign} and two assigns never interleave.
 */
final class WorkerSession {

    final UUID workerId;
    final WebSocketConnection connection;
    /** The registry URL for {@code welcome} and the host part of every image reference sent down. */
    final String registryUrl;

    /** Guards everything below and every frame sent. */
    final Object lock = new Object();
    boolean welcomed;
    String lastAssignHash;
    Instant lastAssignSentAt = Instant.EPOCH;

    /** When {@code last_seen_at} was last written for this session (heartbeats are throttled). */
    volatile long lastSeenWrittenNanos;

    WorkerSession(UUID workerId, WebSocketConnection connection, String registryUrl) {
        this.workerId = workerId;
        this.connection = connection;
        this.registryUrl = registryUrl;
    }

    /** Sends one text frame and waits until it is written; callers hold {@link #lock} when order matters. */
    void send(String frame) {
        connection.sendTextAndAwait(frame);
    }

    /** Closes the stream with a WebSocket close code and a reason the worker logs; never throws. */
    void close(int code, String reason) {
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(ok -> { }, failed -> { });
        }
    }

    /** Host and port of {@link #registryUrl}, as used in image references ({@code 127.0.0.1:8080}). */
    String registryHost() {
        int scheme = registryUrl.indexOf("://");
        String rest = scheme < 0 ? registryUrl : registryUrl.substring(scheme + 3);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
