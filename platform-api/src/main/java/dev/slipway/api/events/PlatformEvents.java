package dev.slipway.api.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wake-ups between API replicas through PostgreSQL {@code LISTEN/NOTIFY}: "the instances of worker W changed",
 * "routes changed", "something to reconcile". An event carries no state, only a hint to re-read PostgreSQL, so a
 * lost event costs latency, never correctness: every subscriber also re-reads on a timer.
 *
 * <p>{@link #publish} joins the caller's transaction, so subscribers hear of a change only after it commits (and
 * never of one that rolled back). {@link #subscribe} callbacks run on one listener thread per replica, in order;
 * they must be quick (hand real work to another thread).
 *
 * <p>Lifecycle: the listener connection opens at startup (outside the pool, since a pooled connection would lose
 * its LISTENs), reconnects with back-off if PostgreSQL goes away, and closes at shutdown. After a reconnect every
 * subscriber gets one synthetic event with payload {@link #RESYNC}, because notifications sent while the
 * connection was down are gone.
 */
@ApplicationScoped
public class PlatformEvents {

    /** The instances placed on a worker changed; payload: the worker's id. */
    public static final String WORKER_CHANGED = "slipway_worker";
    /** An app's set of routable endpoints may have changed; payload: the app's id. */
    public static final String ROUTES_CHANGED = "slipway_routes";
    /** Desired or reported state changed in a way the scheduler/reconciler should look at; payload: app id or "". */
    public static final String RECONCILE = "slipway_reconcile";
    /** Log lines of an app were stored (logs module, dev.slipway.api.logs.LogStore); payload: the app's id. */
    public static final String LOGS = "slipway_logs";
    /** Payload delivered to every subscriber after the listener (re)connects. */
    public static final String RESYNC = "*";

    private static final Logger LOG = Logger.getLogger(PlatformEvents.class.getName());
    private static final List<String> CHANNELS = List.of(WORKER_CHANGED, ROUTES_CHANGED, RECONCILE, LOGS);

    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final EntityManager entityManager;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private volatile boolean running;
    private volatile Connection listener;
    private Thread thread;

    PlatformEvents(EntityManager entityManager,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.entityManager = entityManager;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    /** Sends {@code payload} on {@code channel} when the caller's transaction commits (requires one). */
    public void publish(String channel, String payload) {
        requireKnown(channel);
        entityManager.createNativeQuery("SELECT pg_notify(?1, ?2)")
                .setParameter(1, channel).setParameter(2, payload == null ? "" : payload)
                .getSingleResult();
    }

    /** Calls {@code onEvent} with each payload published on {@code channel} by any replica, and with {@link #RESYNC}. */
    public void subscribe(String channel, Consumer<String> onEvent) {
        requireKnown(channel);
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(onEvent);
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofPlatform().daemon().name("platform-events").start(this::listenLoop);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        Connection c = listener;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is best effort at shutdown
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listenLoop() {
        long backoffMillis = 100;
        while (running) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, username, password)) {
                listener = c;
                try (Statement s = c.createStatement()) {
                    for (String channel : CHANNELS) {
                        s.execute("LISTEN " + channel);
                    }
                }
                backoffMillis = 100;
                CHANNELS.forEach(channel -> deliver(channel, RESYNC));
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = pg.getNotifications(1000);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            deliver(n.getName(), n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.WARNING, "event listener lost its database connection; retrying in "
                        + backoffMillis + " ms: " + e.getMessage());
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5000);
            } finally {
                listener = null;
            }
        }
    }

    private void deliver(String channel, String payload) {
        for (Consumer<String> subscriber : subscribers.getOrDefault(channel, List.of())) {
            try {
                subscriber.accept(payload);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "subscriber of " + channel + " failed", e);
            }
        }
    }

    private static void requireKnown(String channel) {
        if (!CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("unknown event channel " + channel);
        }
    }
}
