package dev.slipway.api.metering;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Per-instance samples in PostgreSQL ({@code instance_samples}): what metering measures intervals between and what
 * the metrics API charts. Plain JDBC; every method joins the caller's transaction.
 */
@ApplicationScoped
class InstanceSamples {

    /** One point of the metrics API; {@code cpuCores} is null where no earlier sample of the same run exists. */
    record Point(UUID instanceId, Instant at, Double cpuCores, long memoryBytes, long memoryLimitBytes) {
    }

    @Inject
    AgroalDataSource db;

    /** The instances among {@code ids} that are placed on {@code workerId}, with their app, tenant and limits. */
    Map<UUID, MeteredInstance> onWorker(UUID workerId, Collection<UUID> ids) {
        String sql = "SELECT i.id, a.id, a.name, t.name, r.cpu, r.memory_mb FROM instances i"
                + " JOIN releases r ON r.id = i.release_id JOIN apps a ON a.id = i.app_id"
                + " JOIN tenants t ON t.id = a.tenant_id WHERE i.worker_id = ? AND i.id = ANY (?)";
        Map<UUID, MeteredInstance> found = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, workerId);
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    found.put(id, new MeteredInstance(id, rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getBigDecimal(5), rs.getInt(6)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("reading instances of worker " + workerId, e);
        }
    }

    /**
     * Serialises metering of one instance until the transaction ends, so that two frames handled at once (two API
     * replicas, a reconnect) measure against each other's samples rather than the same older one.
     */
    void lock(UUID instanceId) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, 0x534c5057); // "SLPW": keeps these locks apart from other users of advisory locks
            ps.setString(2, instanceId.toString());
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("locking instance " + instanceId, e);
        }
    }

    /** Stores a sample; false if one for that instance and time is already stored (a repeated frame). */
    boolean insert(MeteredInstance instance, UUID workerId, Instant at, Instant startedAt, long cpuUsageNanos,
            long memoryBytes, long memoryLimitBytes, int pids) {
        String sql = "INSERT INTO instance_samples (instance_id, at, app_id, worker_id, started_at, cpu_usage_nanos,"
                + " memory_bytes, memory_limit_bytes, pids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (instance_id, at) DO NOTHING";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, instance.instanceId());
            ps.setObject(2, utc(at));
            ps.setObject(3, instance.appId());
            ps.setObject(4, workerId);
            ps.setObject(5, utc(startedAt));
            ps.setLong(6, cpuUsageNanos);
            ps.setLong(7, memoryBytes);
            ps.setLong(8, memoryLimitBytes);
            ps.setInt(9, pids);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("storing a sample of instance " + instance.instanceId(), e);
        }
    }

    /** The newest sample of the instance taken before {@code at}. */
    Optional<StoredSample> before(UUID instanceId, Instant at) {
        return one("SELECT at, started_at, cpu_usage_nanos, memory_bytes FROM instance_samples"
                + " WHERE instance_id = ? AND at < ? ORDER BY at DESC LIMIT 1", instanceId, at);
    }

    /** Whether a sample taken after {@code at} is already stored (then a sample at {@code at} arrived late). */
    boolean anyAfter(UUID instanceId, Instant at) {
        return one("SELECT at, started_at, cpu_usage_nanos, memory_bytes FROM instance_samples"
                + " WHERE instance_id = ? AND at > ? LIMIT 1", instanceId, at).isPresent();
    }

    /** Points of the app's instances since {@code since}, oldest first per instance. */
    List<Point> points(UUID appId, Instant since) {
        // cpuCores: CPU-seconds per second between consecutive samples of one container run
        String sql = "SELECT instance_id, at, memory_bytes, memory_limit_bytes,"
                + " (cpu_usage_nanos - lag(cpu_usage_nanos) OVER w) / 1e9"
                + "   / nullif(extract(epoch FROM at - lag(at) OVER w), 0) AS cores"
                + " FROM instance_samples WHERE app_id = ? AND at >= ?"
                + " WINDOW w AS (PARTITION BY instance_id, started_at ORDER BY at)"
                + " ORDER BY instance_id, at";
        List<Point> points = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, appId);
            ps.setObject(2, utc(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double cores = rs.getDouble(5);
                    Double cpuCores = rs.wasNull() ? null : Math.max(0, cores);
                    points.add(new Point(rs.getObject(1, UUID.class), instant(rs, 2), cpuCores, rs.getLong(3),
                            rs.getLong(4)));
                }
            }
            return points;
        } catch (SQLException e) {
            throw new IllegalStateException("reading samples of app " + appId, e);
        }
    }

    /** Deletes samples taken before {@code before}; returns how many. */
    int prune(Instant before) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM instance_samples WHERE at < ?")) {
            ps.setObject(1, utc(before));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("pruning samples", e);
        }
    }

    private Optional<StoredSample> one(String sql, UUID instanceId, Instant at) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, instanceId);
            ps.setObject(2, utc(at));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredSample(instant(rs, 1), instant(rs, 2), rs.getLong(3), rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading samples of instance " + instanceId, e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
