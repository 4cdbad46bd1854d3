package dev.slipway.api.logs;

import dev.slipway.api.workers.WorkerLogSink.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The log lines of all apps, in PostgreSQL (table {@code log_lines}, partitioned by day; V4_001__logs.sql).
 *
 * <p>Writing ({@link #append}) is one transaction per batch a worker sends: it locks the feed head of every app
 * in the batch (in app id order, so concurrent batches cannot deadlock), drops records at or below each
 * instance's stored sequence (resends after a reconnect), numbers the rest with the app's next positions, COPYs
 * them in, moves the per-instance cursors and heads, and notifies other replicas. A batch is stored whole or not
 * at all. Reading ({@link #page}, {@link #tail}) never locks. Plain JDBC rather than Panache: COPY and the
 * lock-then-number step are the point of this class.
 */
@ApplicationScoped
public class LogStore {

    /** PostgreSQL channel carrying an app id after lines of that app were committed (any replica). */
    public static final String CHANNEL = dev.slipway.api.events.PlatformEvents.LOGS;

    /** What one {@link #append} did. */
    public record Appended(Map<UUID, Long> storedSeqByInstance, Set<UUID> appsWithNewLines, int linesStored) {
    }

    @Inject
    DataSource dataSource;

    /** Ownership and progress of one instance as the store sees it. */
    private record Owner(UUID appId, UUID workerId, long lastSeq) {
    }

    public Appended append(UUID workerId, List<Record> records) {
        if (records.isEmpty()) {
            return new Appended(Map.of(), Set.of(), 0);
        }
        Map<UUID, List<Record>> byInstance = new LinkedHashMap<>();
        for (Record r : records) {
            byInstance.computeIfAbsent(r.instanceId(), k -> new ArrayList<>()).add(r);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Appended result = append(c, workerId, byInstance);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("storing " + records.size() + " log records of worker " + workerId
                    + " failed: " + e.getMessage(), e);
        }
    }

    private Appended append(Connection c, UUID workerId, Map<UUID, List<Record>> byInstance)
            throws SQLException, IOException {
        Map<UUID, Owner> owners = owners(c, workerId, byInstance.keySet());
        if (owners.isEmpty()) {
            return new Appended(Map.of(), Set.of(), 0);
        }
        TreeMap<UUID, Long> heads = lockHeads(c, owners.values().stream().map(Owner::appId).distinct().toList());
        Map<UUID, Long> lastSeq = storedSeqs(c, owners.keySet());
        Map<UUID, Long> bytesByApp = new HashMap<>();
        Map<UUID, Long> result = new LinkedHashMap<>();
        CopyBuffer copy = new CopyBuffer();
        int stored = 0;
        for (Map.Entry<UUID, List<Record>> entry : byInstance.entrySet()) {
            Owner owner = owners.get(entry.getKey());
            if (owner == null) {
                continue; // not this worker's instance: refused, and left out of the acknowledgement
            }
            long last = lastSeq.getOrDefault(entry.getKey(), -1L);
            for (Record r : entry.getValue()) {
                if (r.seq() <= last) {
                    continue; // a resend of something already stored
                }
                last = r.seq();
                long pos = heads.merge(owner.appId(), 1L, Long::sum);
                int bytes = copy.row(owner.appId(), pos, r);
                bytesByApp.merge(owner.appId(), (long) bytes, Long::sum);
                stored++;
            }
            result.put(entry.getKey(), last);
        }
        if (stored > 0) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY log_lines (app_id, pos, instance_id, seq, stream, time_ns, partial, line) FROM STDIN",
                    copy.stream());
            updateHeads(c, heads, bytesByApp);
            notifyApps(c, bytesByApp.keySet());
        }
        saveCursors(c, workerId, owners, result);
        return new Appended(result, Set.copyOf(bytesByApp.keySet()), stored);
    }

    /**
     * The instances of the batch that belong to {@code workerId}: by the instance row while it exists, else by
     * the worker recorded with the instance's first stored line (its row goes when it stops, its last lines may
     * arrive after that).
     */
    private Map<UUID, Owner> owners(Connection c, UUID workerId, Set<UUID> instanceIds) throws SQLException {
        Map<UUID, Owner> owners = new HashMap<>();
        Array ids = c.createArrayOf("uuid", instanceIds.toArray());
        try (PreparedStatement s = c.prepareStatement("""
                SELECT coalesce(i.id, lc.instance_id), coalesce(i.app_id, lc.app_id),
                       CASE WHEN i.id IS NOT NULL THEN i.worker_id ELSE lc.worker_id END
                FROM unnest(?::uuid[]) AS wanted(id)
                LEFT JOIN instances i ON i.id = wanted.id
                LEFT JOIN log_cursors lc ON lc.instance_id = wanted.id
                WHERE i.id IS NOT NULL OR lc.instance_id IS NOT NULL""")) {
            s.setArray(1, ids);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    UUID owner = rows.getObject(3, UUID.class);
                    if (workerId.equals(owner)) {
                        UUID id = rows.getObject(1, UUID.class);
                        owners.put(id, new Owner(rows.getObject(2, UUID.class), owner, -1));
                    }
                }
            }
        }
        return owners;
    }

    /** Creates missing heads and locks them all, in id order; returns each app's last position. */
    private static TreeMap<UUID, Long> lockHeads(Connection c, List<UUID> appIds) throws SQLException {
        Array ids = c.createArrayOf("uuid", appIds.toArray());
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO log_heads (app_id) SELECT unnest(?::uuid[]) ORDER BY 1 ON CONFLICT DO NOTHING")) {
            s.setArray(1, ids);
            s.executeUpdate();
        }
        TreeMap<UUID, Long> heads = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT app_id, last_pos FROM log_heads WHERE app_id = ANY(?) ORDER BY app_id FOR UPDATE")) {
            s.setArray(1, ids);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    heads.put(rows.getObject(1, UUID.class), rows.getLong(2));
                }
            }
        }
        return heads;
    }

    /** Read under the app locks: only a holder of an app's head lock moves its instances' cursors. */
    private static Map<UUID, Long> storedSeqs(Connection c, Set<UUID> instanceIds) throws SQLException {
        Map<UUID, Long> seqs = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT instance_id, last_seq FROM log_cursors WHERE instance_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("uuid", instanceIds.toArray()));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    seqs.put(rows.getObject(1, UUID.class), rows.getLong(2));
                }
            }
        }
        return seqs;
    }

    private static void updateHeads(Connection c, Map<UUID, Long> heads, Map<UUID, Long> bytesByApp)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE log_heads SET last_pos = ?, stored_bytes = stored_bytes + ? WHERE app_id = ?")) {
            for (Map.Entry<UUID, Long> e : bytesByApp.entrySet()) {
                s.setLong(1, heads.get(e.getKey()));
                s.setLong(2, e.getValue());
                s.setObject(3, e.getKey());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void notifyApps(Connection c, Set<UUID> appIds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (UUID app : appIds) {
                s.setString(1, CHANNEL);
                s.setString(2, app.toString());
                s.executeQuery().close();
            }
        }
    }

    private static void saveCursors(Connection c, UUID workerId, Map<UUID, Owner> owners, Map<UUID, Long> seqs)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO log_cursors (instance_id, app_id, worker_id, last_seq) VALUES (?, ?, ?, ?)
                ON CONFLICT (instance_id) DO UPDATE SET last_seq = EXCLUDED.last_seq
                WHERE log_cursors.last_seq < EXCLUDED.last_seq""")) {
            for (Map.Entry<UUID, Long> e : seqs.entrySet()) {
                if (e.getValue() < 0) {
                    continue;
                }
                s.setObject(1, e.getKey());
                s.setObject(2, owners.get(e.getKey()).appId());
                s.setObject(3, workerId);
                s.setLong(4, e.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    // --- reading -------------------------------------------------------------------------------------------

    /** The app's last position (0 when it has no lines yet). */
    public long head(UUID appId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT last_pos FROM log_heads WHERE app_id = ?")) {
            s.setObject(1, appId);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the log head of app " + appId + " failed", e);
        }
    }

    /**
     * Up to {@code limit} lines matching {@code filter} with {@code afterPos < pos <= upToPos}, oldest first.
     * Returns the number delivered.
     */
    public int page(UUID appId, LogFilter filter, long afterPos, long upToPos, int limit, Consumer<LogLine> out) {
        StringBuilder sql = new StringBuilder("SELECT pos, instance_id, seq, stream, time_ns, partial, line"
                + " FROM log_lines WHERE app_id = ? AND pos > ? AND pos <= ?");
        List<Object> params = new ArrayList<>(List.of(appId, afterPos, upToPos));
        where(filter, sql, params);
        sql.append(" ORDER BY pos LIMIT ?");
        params.add(limit);
        return query(sql.toString(), params, out);
    }

    /** The last {@code count} lines matching {@code filter} with {@code pos <= upToPos}, newest first. */
    public List<LogLine> tail(UUID appId, LogFilter filter, long upToPos, int count) {
        StringBuilder sql = new StringBuilder("SELECT pos, instance_id, seq, stream, time_ns, partial, line"
                + " FROM log_lines WHERE app_id = ? AND pos <= ?");
        List<Object> params = new ArrayList<>(List.of(appId, upToPos));
        where(filter, sql, params);
        sql.append(" ORDER BY pos DESC LIMIT ?");
        params.add(count);
        List<LogLine> lines = new ArrayList<>();
        query(sql.toString(), params, lines::add);
        return lines;
    }

    private static void where(LogFilter filter, StringBuilder sql, List<Object> params) {
        if (filter.instanceId() != null) {
            sql.append(" AND instance_id = ?");
            params.add(filter.instanceId());
        }
        if (filter.stream() != null) {
            sql.append(" AND stream = ?");
            params.add(filter.stream().shortValue());
        }
        if (filter.sinceNanos() != null) {
            sql.append(" AND time_ns >= ?");
            params.add(filter.sinceNanos());
        }
        if (filter.untilNanos() != null) {
            sql.append(" AND time_ns < ?");
            params.add(filter.untilNanos());
        }
        if (filter.contains() != null) {
            sql.append(" AND strpos(line, ?) > 0");
            params.add(filter.contains());
        }
    }

    private int query(String sql, List<Object> params, Consumer<LogLine> out) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            int n = 0;
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    out.accept(new LogLine(rows.getLong(1), rows.getObject(2, UUID.class), rows.getLong(3),
                            rows.getShort(4), rows.getLong(5), rows.getBoolean(6), rows.getString(7)));
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("reading logs failed: " + e.getMessage(), e);
        }
    }

    /** Rows in PostgreSQL's COPY text format. */
    private static final class CopyBuffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        private final StringBuilder row = new StringBuilder(256);

        /** Adds a row and returns the UTF-8 size of its line. */
        int row(UUID appId, long pos, Record r) {
            row.setLength(0);
            row.append(appId).append('\t').append(pos).append('\t').append(r.instanceId()).append('\t')
                    .append(r.seq()).append('\t').append(LogLine.streamCode(r.stream()) == LogLine.STDERR ? 2 : 1)
                    .append('\t').append(LogLine.nanos(r.time())).append('\t').append(r.partial() ? 't' : 'f')
                    .append('\t');
            String line = r.line() == null ? "" : r.line();
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                switch (ch) {
                    case '\\' -> row.append("\\\\");
                    case '\n' -> row.append("\\n");
                    case '\r' -> row.append("\\r");
                    case '\t' -> row.append("\\t");
                    case '\0' -> row.append('\uFFFD'); // PostgreSQL text cannot hold NUL
                    default -> row.append(ch);
                }
            }
            row.append('\n');
            byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            return line.getBytes(StandardCharsets.UTF_8).length;
        }

        java.io.InputStream stream() {
            return new java.io.ByteArrayInputStream(out.toByteArray());
        }
    }
}
