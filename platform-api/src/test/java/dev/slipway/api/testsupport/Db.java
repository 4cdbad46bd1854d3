package dev.slipway.api.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct SQL on the test database, for asserting what was (or was not) written and for time travel. */
public final class Db {

    private Db() {
    }

    /** Runs a {@code SELECT count(*) ...} with positional parameters. */
    public static long count(String sql, Object... params) {
        try (Connection c = PlatformTestResources.database().getConnection();
                PreparedStatement statement = prepare(c, sql, params);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the first row of a query, as {@code type} (null if there is no row). */
    public static <T> T value(Class<T> type, String sql, Object... params) {
        try (Connection c = PlatformTestResources.database().getConnection();
                PreparedStatement statement = prepare(c, sql, params);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getObject(1, type) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of rows changed. */
    public static int update(String sql, Object... params) {
        try (Connection c = PlatformTestResources.database().getConnection();
                PreparedStatement statement = prepare(c, sql, params)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Statements that {@link #transaction} runs together. */
    @FunctionalInterface
    public interface Work {
        void run(Transaction tx) throws SQLException;
    }

    /** The open transaction of {@link #transaction}. */
    public record Transaction(Connection connection) {
        public int update(String sql, Object... params) throws SQLException {
            try (PreparedStatement statement = prepare(connection, sql, params)) {
                return statement.executeUpdate();
            }
        }
    }

    /**
     * Runs {@code work} in one transaction, so the platform (its scheduler, above all) sees all of its rows or
     * none: rows written one statement at a time race a scheduler pass in between.
     */
    public static void transaction(Work work) {
        try (Connection c = PlatformTestResources.database().getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(new Transaction(c));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
        return statement;
    }
}
