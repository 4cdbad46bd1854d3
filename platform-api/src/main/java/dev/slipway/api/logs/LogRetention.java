package dev.slipway.api.logs;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps {@code log_lines} within retention: creates the day partitions ahead of time, drops whole days older than
 * the longest retention of any plan, and trims each app to its plan's age and size (oldest lines first). Runs at
 * start and every {@code slipway.logs.retention.every}; one replica at a time (a PostgreSQL advisory lock), the
 * others skip that round.
 */
@ApplicationScoped
public class LogRetention {
    private static final Logger LOG = Logger.getLogger(LogRetention.class.getName());
    private static final long LOCK_KEY = 0x5117_0a10_6500_0001L; // one key for the logs retention round
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int DELETE_CHUNK = 20_000;

    @Inject
    DataSource dataSource;

    @Inject
    LogRetentionPolicy policy;

    void onStart(@Observes StartupEvent event) {
        run();
    }

    @Scheduled(every = "${slipway.logs.retention.every:5m}", delayed = "${slipway.logs.retention.every:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }

    /** One round; false if another replica holds the round. */
    public boolean run() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryLock(c)) {
                    c.rollback();
                    return false;
                }
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                for (int d = -1; d <= 2; d++) {
                    createPartition(c, today.plusDays(d));
                }
                dropOldPartitions(c, Instant.now().minus(policy.longestMaxAge()));
                c.commit();
                for (AppHead app : apps(c)) {
                    LogRetentionPolicy.Limits limits = policy.limitsFor(app.tenant());
                    trim(c, app.appId(), Instant.now().minus(limits.maxAge()), limits.maxBytesPerApp());
                    c.commit();
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "log retention round failed; next round retries", e);
            return false;
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            s.setLong(1, LOCK_KEY);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static void createPartition(Connection c, LocalDate day) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS log_lines_" + DAY.format(day) + " PARTITION OF log_lines FOR VALUES"
                    + " FROM ('" + day + "T00:00:00Z') TO ('" + day.plusDays(1) + "T00:00:00Z')");
        }
    }

    /** Drops day partitions that end before {@code cutoff}, first taking their bytes off the apps' totals. */
    private static void dropOldPartitions(Connection c, Instant cutoff) throws SQLException {
        List<String> old = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT child.relname FROM pg_inherits
                JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
                JOIN pg_class child ON child.oid = pg_inherits.inhrelid
                WHERE parent.relname = 'log_lines' AND child.relname ~ '^log_lines_[0-9]{8}$'""")) {
            while (r.next()) {
                String name = r.getString(1);
                LocalDate day = LocalDate.parse(name.substring("log_lines_".length()), DAY);
                if (!day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff)) {
                    old.add(name);
                }
            }
        }
        for (String name : old) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE log_heads h SET stored_bytes = greatest(0, h.stored_bytes - p.bytes) FROM ("
                        + "SELECT app_id, sum(octet_length(line)) AS bytes FROM " + name
                        + " GROUP BY app_id) p WHERE h.app_id = p.app_id");
                s.execute("DROP TABLE " + name);
            }
            LOG.info("log retention dropped partition " + name);
        }
    }

    private record AppHead(UUID appId, String tenant) {
    }

    private static List<AppHead> apps(Connection c) throws SQLException {
        List<AppHead> apps = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT h.app_id, t.name FROM log_heads h JOIN apps a ON a.id = h.app_id
                JOIN tenants t ON t.id = a.tenant_id""")) {
            while (r.next()) {
                apps.add(new AppHead(r.getObject(1, UUID.class), r.getString(2)));
            }
        }
        return apps;
    }

    /** One app's trim in its own transactions (for tests and operators). */
    public void trim(UUID appId, java.time.Duration maxAge, long maxBytes) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                trim(c, appId, Instant.now().minus(maxAge), maxBytes);
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("trimming the logs of app " + appId + " failed", e);
        }
    }

    /** Deletes the app's lines stored before {@code cutoff}, then its oldest lines until at most {@code maxBytes}. */
    void trim(Connection c, UUID appId, Instant cutoff, long maxBytes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                WITH gone AS (DELETE FROM log_lines WHERE app_id = ? AND stored_at < ? RETURNING octet_length(line) AS n)
                UPDATE log_heads SET stored_bytes = greatest(0, stored_bytes - (SELECT coalesce(sum(n), 0) FROM gone))
                WHERE app_id = ?""")) {
            s.setObject(1, appId);
            s.setTimestamp(2, Timestamp.from(cutoff));
            s.setObject(3, appId);
            s.executeUpdate();
        }
        while (true) {
            long stored;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT stored_bytes FROM log_heads WHERE app_id = ? FOR UPDATE")) {
                s.setObject(1, appId);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return;
                    }
                    stored = r.getLong(1);
                }
            }
            if (stored <= maxBytes) {
                return;
            }
            // oldest first, a chunk at a time, stopping at the line that brings the app under its limit
            try (PreparedStatement s = c.prepareStatement("""
                    WITH oldest AS (
                        SELECT pos, sum(octet_length(line)) OVER (ORDER BY pos) AS running
                        FROM (SELECT pos, line FROM log_lines WHERE app_id = ? ORDER BY pos LIMIT ?) o),
                    cut AS (SELECT coalesce(min(pos) FILTER (WHERE running >= ?), max(pos)) AS upto FROM oldest),
                    gone AS (DELETE FROM log_lines WHERE app_id = ? AND pos <= (SELECT upto FROM cut)
                             RETURNING octet_length(line) AS n)
                    UPDATE log_heads SET stored_bytes = greatest(0, stored_bytes - (SELECT coalesce(sum(n), 0) FROM gone))
                    WHERE app_id = ? RETURNING (SELECT count(*) FROM gone)""")) {
                s.setObject(1, appId);
                s.setInt(2, DELETE_CHUNK);
                s.setLong(3, stored - maxBytes);
                s.setObject(4, appId);
                s.setObject(5, appId);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next() || r.getLong(1) == 0) {
                        // the total says too much but no line is left: correct the total
                        try (PreparedStatement fix = c.prepareStatement(
                                "UPDATE log_heads SET stored_bytes = 0 WHERE app_id = ? AND NOT EXISTS"
                                        + " (SELECT 1 FROM log_lines WHERE app_id = ?)")) {
                            fix.setObject(1, appId);
                            fix.setObject(2, appId);
                            fix.executeUpdate();
                        }
                        return;
                    }
                }
            }
            c.commit();
        }
    }
}
