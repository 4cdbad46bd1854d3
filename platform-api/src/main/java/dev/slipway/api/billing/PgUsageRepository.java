package dev.slipway.api.billing;

import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import dev.slipway.billing.metering.InstanceCursor;
import dev.slipway.billing.metering.UsageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link UsageRepository} on PostgreSQL ({@code usage_cursors}, {@code usage_records}). The compare-and-set is
 * an {@code UPDATE ... WHERE} on every cursor column (or an insert that must not conflict), and the records go
 * in the same transaction with {@code ON CONFLICT (idempotency_key) DO NOTHING}. Plain JDBC because both of
 * those are SQL that an ORM would only hide.
 */
@ApplicationScoped
public class PgUsageRepository implements UsageRepository {

    @Inject
    DataSource dataSource;

    @Override
    @Transactional
    public Optional<InstanceCursor> cursor(String instance) {
        String sql = "SELECT observed_at, cpu_usage_nanos, running_nanos, ended FROM usage_cursors WHERE instance = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, instance);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new InstanceCursor(instance, instant(rs, 1), rs.getLong(2),
                        Duration.ofNanos(rs.getLong(3)), rs.getBoolean(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading usage cursor of " + instance, e);
        }
    }

    @Override
    @Transactional
    public boolean commit(Optional<InstanceCursor> expected, InstanceCursor next, List<UsageRecord> records) {
        try (Connection c = dataSource.getConnection()) {
            if (!moveCursor(c, expected, next)) {
                return false;
            }
            insert(c, records);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("storing usage of " + next.instance(), e);
        }
    }

    private static boolean moveCursor(Connection c, Optional<InstanceCursor> expected, InstanceCursor next) throws SQLException {
        String sql = expected.isEmpty()
                ? "INSERT INTO usage_cursors (observed_at, cpu_usage_nanos, running_nanos, ended, instance)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (instance) DO NOTHING"
                : "UPDATE usage_cursors SET observed_at = ?, cpu_usage_nanos = ?, running_nanos = ?, ended = ?"
                        + " WHERE instance = ? AND observed_at = ? AND cpu_usage_nanos = ? AND running_nanos = ? AND ended = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            setCursor(ps, 1, next);
            ps.setString(5, next.instance());
            if (expected.isPresent()) {
                if (!expected.get().instance().equals(next.instance())) {
                    return false;
                }
                setCursor(ps, 6, expected.get());
            }
            return ps.executeUpdate() == 1;
        }
    }

    private static void setCursor(PreparedStatement ps, int first, InstanceCursor cursor) throws SQLException {
        ps.setObject(first, utc(cursor.observedAt()));
        ps.setLong(first + 1, cursor.cpuUsageNanos());
        ps.setLong(first + 2, cursor.running().toNanos());
        ps.setBoolean(first + 3, cursor.ended());
    }

    /**
     * Stores measurements that need no cursor because their interval is their identity (metering from stored
     * samples, registry storage per hour): a record whose idempotency key is already stored is skipped.
     */
    @Transactional
    public void record(List<UsageRecord> records) {
        try (Connection c = dataSource.getConnection()) {
            insert(c, records);
        } catch (SQLException e) {
            throw new IllegalStateException("storing usage records", e);
        }
    }

    /** The sum of one meter's records of {@code tenant} that start in {@code [from, to)}. */
    @Transactional
    public java.math.BigDecimal total(String tenant, Meter meter, Instant from, Instant to) {
        String sql = "SELECT coalesce(sum(quantity), 0) FROM usage_records WHERE tenant_id = " + TenantIds.OF_NAME
                + " AND meter = ? AND interval_start >= ? AND interval_start < ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            ps.setString(2, meter.wire());
            ps.setObject(3, utc(from));
            ps.setObject(4, utc(to));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("summing usage of " + tenant, e);
        }
    }

    private static void insert(Connection c, List<UsageRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO usage_records (idempotency_key, tenant, tenant_id, app, instance, meter, quantity,"
                + " interval_start, interval_end) VALUES (?, ?, " + TenantIds.OF_NAME + ", ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (idempotency_key) DO NOTHING";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (UsageRecord r : records) {
                ps.setString(1, r.idempotencyKey());
                ps.setString(2, r.tenant());
                ps.setString(3, r.tenant());
                ps.setString(4, r.app());
                ps.setString(5, r.instance());
                ps.setString(6, r.meter().wire());
                ps.setBigDecimal(7, r.quantity());
                ps.setObject(8, utc(r.start()));
                ps.setObject(9, utc(r.end()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    @Transactional
    public List<UsageRecord> usage(String tenant, Instant from, Instant to) {
        String sql = "SELECT app, instance, meter, quantity, interval_start, interval_end FROM usage_records"
                + " WHERE tenant_id = " + TenantIds.OF_NAME + " AND interval_start < ? AND (interval_end > ? OR interval_start = ?)"
                + " ORDER BY interval_start, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            ps.setObject(2, utc(to));
            ps.setObject(3, utc(from));
            ps.setObject(4, utc(from));
            var records = new ArrayList<UsageRecord>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Meter meter = Meter.fromWire(rs.getString(3)).orElseThrow(() -> new IllegalStateException(
                            "unknown meter in usage_records"));
                    records.add(new UsageRecord(tenant, rs.getString(1), rs.getString(2), meter, rs.getBigDecimal(4),
                            instant(rs, 5), instant(rs, 6)));
                }
            }
            return records;
        } catch (SQLException e) {
            throw new IllegalStateException("reading usage of " + tenant, e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
