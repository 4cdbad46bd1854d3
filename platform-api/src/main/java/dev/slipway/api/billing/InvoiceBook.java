package dev.slipway.api.billing;

import dev.slipway.billing.Meter;
import dev.slipway.billing.Money;
import dev.slipway.billing.rating.BillingPeriod;
import dev.slipway.billing.rating.Invoice;
import dev.slipway.billing.rating.InvoiceLine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.slipway.api.billing.PgUsageRepository.instant;
import static dev.slipway.api.billing.PgUsageRepository.utc;

/**
 * Final invoices ({@code invoices}, {@code invoice_lines}). Stored once per tenant and period, with a
 * gapless number; the database refuses any later change.
 */
@ApplicationScoped
public class InvoiceBook {

    @Inject
    DataSource dataSource;

    @Transactional
    public List<ClosedInvoice> list(String tenant) {
        return load("WHERE tenant_id = " + TenantIds.OF_NAME + " ORDER BY period DESC", ps -> ps.setString(1, tenant));
    }

    @Transactional
    public Optional<ClosedInvoice> find(String tenant, UUID id) {
        return load("WHERE tenant_id = " + TenantIds.OF_NAME + " AND id = ?", ps -> {
            ps.setString(1, tenant);
            ps.setObject(2, id);
        }).stream().findFirst();
    }

    @Transactional
    public boolean exists(String tenant, BillingPeriod period) {
        return !load("WHERE tenant_id = " + TenantIds.OF_NAME + " AND period = ?", ps -> {
            ps.setString(1, tenant);
            ps.setString(2, period.toString());
        }).isEmpty();
    }

    /**
     * Stores {@code invoice} as final with the next number, unless the tenant's invoice for that period
     * exists. The counter row's lock is taken first, so concurrent closers (other replicas) queue behind it
     * and then see each other's invoice; a closer that stores nothing releases its number by rolling back.
     *
     * @return the stored invoice, or empty if it was already closed
     */
    @Transactional
    public Optional<ClosedInvoice> close(Invoice invoice) {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            long number = updateCounter(c, "last + 1");
            if (exists(invoice.tenant(), invoice.period()) || !insertInvoice(c, id, number, invoice)) {
                updateCounter(c, "last - 1"); // we still hold the row lock: nobody took a later number
                return Optional.empty();
            }
            insertLines(c, id, invoice.lines());
        } catch (SQLException e) {
            throw new IllegalStateException("closing invoice of " + invoice.tenant() + " for " + invoice.period(), e);
        }
        return find(invoice.tenant(), id);
    }

    private static long updateCounter(Connection c, String expression) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE invoice_number_counter SET last = " + expression + " RETURNING last");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean insertInvoice(Connection c, UUID id, long number, Invoice invoice) throws SQLException {
        String sql = "INSERT INTO invoices (id, tenant, tenant_id, period, number, currency, total_minor, status) VALUES"
                + " (?, ?, " + TenantIds.OF_NAME + ", ?, ?, ?, ?, 'final') ON CONFLICT (tenant_id, period) DO NOTHING";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            ps.setString(2, invoice.tenant());
            ps.setString(3, invoice.tenant());
            ps.setString(4, invoice.period().toString());
            ps.setString(5, "SLP-%06d".formatted(number));
            ps.setString(6, invoice.currency().getCurrencyCode());
            ps.setLong(7, invoice.total().minorUnits());
            return ps.executeUpdate() == 1;
        }
    }

    private static void insertLines(Connection c, UUID id, List<InvoiceLine> lines) throws SQLException {
        String sql = "INSERT INTO invoice_lines (invoice_id, position, plan_id, meter, line_from, line_to, description,"
                + " quantity, unit_price, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < lines.size(); i++) {
                InvoiceLine l = lines.get(i);
                ps.setObject(1, id);
                ps.setInt(2, i);
                ps.setString(3, l.planId());
                ps.setString(4, l.meter().wire());
                ps.setObject(5, utc(l.from()));
                ps.setObject(6, utc(l.to()));
                ps.setString(7, l.description());
                ps.setBigDecimal(8, l.quantity());
                ps.setBigDecimal(9, l.unitPrice());
                ps.setLong(10, l.amount().minorUnits());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<ClosedInvoice> load(String where, Binder binder) {
        String sql = "SELECT id, tenant, period, number, currency, total_minor, closed_at FROM invoices " + where;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            var invoices = new ArrayList<ClosedInvoice>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    Currency currency = Currency.getInstance(rs.getString(5).trim());
                    var invoice = new Invoice(rs.getString(2), BillingPeriod.parse(rs.getString(3)), currency,
                            lines(c, id, currency), new Money(currency, rs.getLong(6)));
                    invoices.add(new ClosedInvoice(id, rs.getString(4), instant(rs, 7), invoice));
                }
            }
            return invoices;
        } catch (SQLException e) {
            throw new IllegalStateException("reading invoices", e);
        }
    }

    private static List<InvoiceLine> lines(Connection c, UUID id, Currency currency) throws SQLException {
        String sql = "SELECT plan_id, meter, line_from, line_to, description, quantity, unit_price, amount_minor"
                + " FROM invoice_lines WHERE invoice_id = ? ORDER BY position";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            var lines = new ArrayList<InvoiceLine>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Meter meter = PlanDocument.meter(rs.getString(2), "meter");
                    lines.add(new InvoiceLine(rs.getString(1), meter, instant(rs, 3), instant(rs, 4), rs.getString(5),
                            rs.getBigDecimal(6), rs.getBigDecimal(7), new Money(currency, rs.getLong(8))));
                }
            }
            return lines;
        }
    }
}
