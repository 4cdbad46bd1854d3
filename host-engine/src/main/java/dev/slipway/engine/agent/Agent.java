package dev.slipway.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.api.DockerApi;
import dev.slipway.engine.config.EngineConfig;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.image.ImageStore;
import dev.slipway.engine.runtime.ContainerLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker agent: joins the platform, keeps the stream to the API, runs what the API assigns.
 *
 * <p>Lifecycle: {@link #start} adopts the instance containers already on this engine (they keep being
 * supervised while the API is unreachable), then, on its own thread, joins with the join token unless a
 * credential is stored ({@code <data-dir>/agent/}), retrying with back-off while the API is down, and opens the
 * stream. Per connection: {@code hello} with capacity and every instance's status; after {@code welcome},
 * heartbeats and stats on the intervals it names; {@code assign} converges; {@code logAck} goes to log shipping.
 * A revoked credential (401) stops the agent for good; the local Docker API keeps serving. {@link #close}
 * stops it and leaves every container running for the next engine to adopt; {@link #closeStoppingWorkloads}
 * first stops and removes them, reporting each as stopped while the stream is still open.
 */
public final class Agent implements AutoCloseable, WorkerStream.Listener {

    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    private final EngineConfig.AgentOptions options;
    private final Path agentDir;
    private final ObjectMapper json;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final HostCapacity capacity;
    private final Convergence convergence;
    private final StatsReporter stats;
    private final WorkerStream stream;
    private final LogShipping logs;
    private volatile WorkerIdentity identity;
    private volatile boolean stopped;
    private volatile Thread joiner;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> statsTimer;

    private Agent(EngineConfig.AgentOptions options, Path dataDir, ContainerService containers, ImageStore images,
                  ContainerLog log, Function<Outbox, LogShipping> logShipping, ObjectMapper json) throws IOException {
        this.options = options;
        this.agentDir = dataDir.resolve("agent");
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-timer");
            t.setDaemon(true);
            return t;
        });
        this.capacity = HostCapacity.detect();
        this.stream = new WorkerStream(http, options.api(), () -> identity.credential(), json, this);
        this.logs = logShipping.apply(stream);
        Supervision supervision = new Supervision(containers, new ImageFetcher(images),
                new SpecStore(agentDir.resolve("instances"), json), stream, options.advertise() == null
                        ? EndpointResolver.bridge(containers) : EndpointResolver.published(containers, options.advertise()),
                new HealthProbe(), timer, logs, log, Supervision.DEFAULT_BACKOFF_RESET);
        this.convergence = new Convergence(supervision);
        this.stats = new StatsReporter(containers);
    }

    /**
     * Starts the agent beside an engine. {@code logShipping} builds the log shipper on the agent's outbox
     * ({@code o -> LogShipping.NONE} ships nothing).
     */
    public static Agent start(EngineConfig.AgentOptions options, Path dataDir, ContainerService containers,
                              ImageStore images, ContainerLog log, Function<Outbox, LogShipping> logShipping,
                              ObjectMapper json) throws IOException {
        Agent agent = new Agent(options, dataDir, containers, images, log, logShipping, json);
        agent.convergence.adoptExisting();
        agent.joiner = Thread.ofVirtual().name("agent-join").start(agent::joinAndConnect);
        return agent;
    }

    public Optional<String> workerId() {
        WorkerIdentity id = identity;
        return id == null ? Optional.empty() : Optional.of(id.workerId());
    }

    public boolean connected() {
        return stream.connected();
    }

    /** Stopped by a revoked credential or a refused join token, or closed. */
    public boolean stopped() {
        return stopped;
    }

    private String name() {
        if (options.name() != null) {
            return options.name();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "worker";
        }
    }

    private void joinAndConnect() {
        try {
            Optional<WorkerIdentity> stored = WorkerIdentity.load(agentDir, options.api().toString(), json);
            if (stored.isPresent()) {
                identity = stored.get();
                LOG.info("worker " + identity.workerId() + ": using the stored credential");
            } else {
                identity = joinWithRetry();
                if (identity == null) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "worker agent stopped: " + e.getMessage(), e);
            stopped = true;
            return;
        } catch (InterruptedException e) {
            return;
        }
        if (!stopped) {
            stream.start();
        }
    }

    private WorkerIdentity joinWithRetry() throws IOException, InterruptedException {
        if (options.joinToken() == null) {
            LOG.severe("worker agent stopped: this worker has no stored credential in " + agentDir
                    + " and no --join-token was given; create one with POST /api/v1/admin/join-tokens");
            stopped = true;
            return null;
        }
        JoinClient client = new JoinClient(http, options.api(), json);
        RetryBackoff backoff = RetryBackoff.forConnects();
        while (!stopped) {
            try {
                WorkerIdentity joined = client.join(options.joinToken(), name(), capacity, DockerApi.ENGINE_VERSION);
                joined.save(agentDir, name(), options.api().toString(), json);
                LOG.info("joined " + options.api() + " as worker " + joined.workerId() + " (credential stored in "
                        + agentDir + ")");
                return joined;
            } catch (JoinClient.JoinRefused e) {
                LOG.severe("worker agent stopped: " + e.getMessage());
                stopped = true;
                return null;
            } catch (IOException e) {
                Duration delay = backoff.next();
                LOG.warning("cannot join " + options.api() + " yet (" + e.getMessage() + "); retrying in "
                        + delay.toMillis() + " ms");
                Thread.sleep(delay);
            }
        }
        return null;
    }

    // --- stream events ------------------------------------------------------------------------------------------

    @Override
    public void onConnected() {
        stream.send(new Wire.Hello(identity.workerId(), DockerApi.ENGINE_VERSION, capacity.cpu(), capacity.memoryMb(),
                convergence.statusesForHello()));
    }

    @Override
    public void onFrame(JsonNode frame) {
        if (stopped) {
            return; // a frame that was on its way while the agent stopped
        }
        String type = frame.path("type").asText("");
        try {
            switch (type) {
                case "welcome" -> welcome(json.treeToValue(frame, Wire.Welcome.class));
                case "assign" -> {
                    Wire.Assign assign = json.treeToValue(frame, Wire.Assign.class);
                    convergence.apply(assign.instances() == null ? List.of() : assign.instances());
                }
                case "logAck" -> {
                    Wire.LogAck ack = json.treeToValue(frame, Wire.LogAck.class);
                    if (ack.acks() != null) {
                        logs.onAck(ack.acks());
                    }
                }
                default -> LOG.info("ignoring a frame of unknown type '" + type + "'");
            }
        } catch (IOException e) {
            LOG.warning("ignoring a malformed '" + type + "' frame: " + e.getMessage());
        }
    }

    private synchronized void welcome(Wire.Welcome welcome) {
        int heartbeat = positive(welcome.heartbeatSeconds(), 5);
        int statsEvery = positive(welcome.statsSeconds(), 10);
        int lostAfter = positive(welcome.lostAfterSeconds(), 30);
        cancelTimers();
        heartbeats = timer.scheduleWithFixedDelay(() -> {
            stream.send(new Wire.Heartbeat(Instant.now().toString()));
            stream.probe(Duration.ofSeconds(Math.max(lostAfter, 3L * heartbeat)));
        }, heartbeat, heartbeat, TimeUnit.SECONDS);
        statsTimer = timer.scheduleWithFixedDelay(() -> Thread.ofVirtual().start(() -> {
            Wire.Stats sample = stats.sample(convergence.supervisors());
            if (!sample.samples().isEmpty()) {
                stream.send(sample);
            }
        }), statsEvery, statsEvery, TimeUnit.SECONDS);
        LOG.info("welcomed as worker " + welcome.workerId() + " (heartbeat " + heartbeat + " s, stats " + statsEvery
                + " s)");
        logs.onConnected();
    }

    private static int positive(Integer value, int fallback) {
        return value == null || value < 1 ? fallback : value;
    }

    private synchronized void cancelTimers() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (statsTimer != null) {
            statsTimer.cancel(false);
        }
    }

    @Override
    public void onDisconnected() {
        cancelTimers();
        logs.onDisconnected();
    }

    @Override
    public void onRevoked(String message) {
        LOG.severe("worker agent stopped: " + message + ". Containers keep running and the local Docker API keeps "
                + "serving; to join again remove " + agentDir + " and start with a new --join-token.");
        stopped = true;
        cancelTimers();
        convergence.close();
        logs.close();
    }

    /**
     * Stops every instance gracefully (each its own grace period, at most {@code limit} in all), then closes. The
     * platform keeps wanting them: when this worker says hello again it starts them anew. Returns how many did
     * not stop in time (-1: interrupted).
     */
    public int closeStoppingWorkloads(Duration limit) {
        stopped = true; // assigns arriving meanwhile would start them again
        int left = -1;
        try {
            left = convergence.stopAll(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        return left;
    }

    @Override
    public void close() {
        stopped = true;
        Thread t = joiner;
        if (t != null) {
            t.interrupt();
        }
        stream.close();
        cancelTimers();
        convergence.close();
        logs.close();
        timer.shutdownNow();
    }
}
