package dev.slipway.api.workers;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code /worker/v1/stream}: one worker's WebSocket (docs/worker-protocol.md). The worker was authenticated by
 * {@link WorkerUpgradeCheck} before the upgrade. Callbacks run on worker threads (they use the database) and,
 * in the default serial mode, one at a time per connection, so a worker's frames are handled in the order sent.
 */
@WebSocket(path = "/worker/v1/stream", endpointId = WorkerStreamEndpoint.ID)
public class WorkerStreamEndpoint {

    static final String ID = "slipway-worker-stream";
    private static final Logger LOG = Logger.getLogger(WorkerStreamEndpoint.class);

    @Inject
    WorkerSessions sessions;

    @Inject
    WorkerPresence presence;

    @Inject
    InstanceReports reports;

    @Inject
    AssignmentPusher pusher;

    @Inject
    WorkerTelemetry telemetry;

    @Inject
    WorkersConfig config;

    private final ObjectMapper frames;

    WorkerStreamEndpoint(ObjectMapper json) {
        // The protocol ignores unknown fields (either side may be newer), unlike the REST API.
        this.frames = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        WorkerSession session = new WorkerSession(workerId(connection), connection, registryUrl(connection));
        sessions.open(session);
        LOG.infof("worker %s connected from %s", session.workerId, connection.handshakeRequest().remoteAddress());
    }

    @OnTextMessage
    void message(WebSocketConnection connection, String frame) {
        WorkerSession session = sessions.of(workerId(connection)).filter(s -> s.connection == connection)
                .orElse(null);
        if (session == null) {
            return; // replaced by a newer connection; its frames are no longer ours to act on
        }
        JsonNode node;
        try {
            node = frames.readTree(frame);
        } catch (IOException e) {
            LOG.warnf("worker %s sent a frame that is not JSON; ignored", session.workerId);
            return;
        }
        String type = node.path("type").asText("");
        try {
            switch (type) {
                case "hello" -> hello(session, frames.treeToValue(node, WorkerMessages.Hello.class));
                case "heartbeat" -> seen(session);
                case "instance" -> {
                    reports.apply(session.workerId, frames.treeToValue(node, WorkerMessages.InstanceStatus.class));
                    seen(session);
                }
                case "stats" -> {
                    WorkerMessages.Stats stats = frames.treeToValue(node, WorkerMessages.Stats.class);
                    telemetry.stats(session.workerId, stats.at(), stats.samples());
                    seen(session);
                }
                case "logs" -> {
                    logs(session, frames.treeToValue(node, WorkerMessages.Logs.class));
                    seen(session);
                }
                default -> LOG.debugf("worker %s sent a frame of unknown type '%s'; ignored", session.workerId, type);
            }
        } catch (IOException e) {
            LOG.warnf("worker %s sent a '%s' frame of the wrong shape (%s); ignored", session.workerId, type,
                    e.getMessage());
        }
    }

    @OnClose
    void close(WebSocketConnection connection) {
        UUID workerId = workerId(connection);
        sessions.of(workerId).filter(s -> s.connection == connection).ifPresent(session -> {
            if (sessions.closed(session)) {
                presence.disconnected(workerId, sessions.replicaId());
            }
        });
        LOG.infof("worker %s disconnected (%s)", workerId, connection.closeReason());
    }

    private void hello(WorkerSession session, WorkerMessages.Hello hello) {
        if (hello.workerId() != null && !hello.workerId().equals(session.workerId)) {
            session.close(WorkerSessions.PROTOCOL, "hello names worker " + hello.workerId()
                    + " but the credential belongs to " + session.workerId);
            return;
        }
        if (!presence.hello(session.workerId, sessions.replicaId(), hello)) {
            session.close(WorkerSessions.REMOVED, "this worker was removed from the platform");
            return;
        }
        session.lastSeenWrittenNanos = System.nanoTime();
        synchronized (session.lock) {
            session.send(json(new WorkerMessages.Welcome(session.workerId, config.heartbeat().toSeconds(),
                    config.lostAfter().toSeconds(), config.statsInterval().toSeconds(), session.registryUrl)));
            session.welcomed = true;
            pusher.push(session, true);
        }
    }

    /**
     * Writes {@code last_seen_at} at most every quarter of the lost timeout (and at most every 5 s), so a fleet's
     * heartbeats cost few writes while a live worker is never found silent. A worker found lost or removed
     * meanwhile is disconnected: it reconnects and says hello, which reconciles it.
     */
    private void seen(WorkerSession session) {
        long every = Math.min(5_000_000_000L, config.lostAfter().toNanos() / 4);
        long now = System.nanoTime();
        if (now - session.lastSeenWrittenNanos < every || !session.welcomed) {
            return;
        }
        if (presence.seen(session.workerId, sessions.replicaId())) {
            session.lastSeenWrittenNanos = now;
        } else {
            session.close(WorkerSessions.LOST, "this worker is no longer in service here; reconnect and say hello");
        }
    }

    private void logs(WorkerSession session, WorkerMessages.Logs logs) {
        Map<UUID, Long> stored = telemetry.logs(session.workerId, logs.records());
        if (stored.isEmpty()) {
            return;
        }
        Map<String, Long> acks = new LinkedHashMap<>();
        stored.forEach((instance, seq) -> acks.put(instance.toString(), seq));
        synchronized (session.lock) {
            session.send(json(new WorkerMessages.LogAck(acks)));
        }
    }

    private String json(Object message) {
        try {
            return frames.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UUID workerId(WebSocketConnection connection) {
        return UUID.fromString(connection.userData().get(WorkerUpgradeCheck.WORKER_ID));
    }

    /** The configured registry URL, or the scheme and host the worker used to reach this API. */
    private String registryUrl(WebSocketConnection connection) {
        if (config.registryUrl().isPresent()) {
            return config.registryUrl().get().replaceAll("/+$", "");
        }
        HandshakeRequest handshake = connection.handshakeRequest();
        String host = handshake.header("Host");
        if (host == null || host.isBlank()) {
            host = handshake.host() + ":" + handshake.port();
        }
        return (handshake.scheme().startsWith("https") || handshake.scheme().equals("wss") ? "https" : "http")
                + "://" + host;
    }
}
