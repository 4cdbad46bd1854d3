package dev.slipway.api.billing;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.billing.rating.BillingPeriod;
import dev.slipway.billing.rating.Invoice;
import dev.slipway.billing.rating.RatingEngine;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.slipway.api.billing.PgUsageRepository.utc;

/**
 * Closes a month's invoices: every tenant that existed in the month (or has usage in it) gets one final,
 * numbered invoice. Safe to run any number of times, on any number of replicas at once: a tenant whose
 * invoice exists is skipped, and {@link InvoiceBook#close} settles races. The schedule runs it hourly for the
 * previous month once {@link #GRACE} has passed after the month's end, so that reports still in flight at
 * midnight are in.
 */
@ApplicationScoped
public class InvoiceClosing {

    static final Duration GRACE = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(InvoiceClosing.class);

    @Inject
    DataSource dataSource;

    @Inject
    PlanHistory plans;

    @Inject
    PgUsageRepository usage;

    @Inject
    InvoiceBook book;

    @Inject
    AuditLog audit;

    private final RatingEngine engine = new RatingEngine();

    @Scheduled(identity = "billing-close-invoices", every = "${slipway.billing.close-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void closePreviousMonth() {
        Instant now = Instant.now();
        BillingPeriod previous = BillingPeriod.containing(now).previous();
        if (!now.isBefore(previous.end().plus(GRACE))) {
            close(previous, now);
        }
    }

    /**
     * Closes {@code period} for every tenant not yet invoiced for it.
     *
     * @return the invoices this call stored (empty when all were closed before)
     * @throws IllegalArgumentException if the period has not ended {@link #GRACE} before {@code now}
     */
    public List<ClosedInvoice> close(BillingPeriod period, Instant now) {
        if (now.isBefore(period.end().plus(GRACE))) {
            throw new IllegalArgumentException(period + " cannot be closed before " + period.end().plus(GRACE));
        }
        var closed = new ArrayList<ClosedInvoice>();
        for (String tenant : tenantsOf(period)) {
            if (book.exists(tenant, period)) {
                continue;
            }
            try {
                closeOne(tenant, period).ifPresent(closed::add);
            } catch (RuntimeException e) {
                // one tenant's bad data must not keep everyone else's invoice open; the next run retries it
                LOG.errorf(e, "could not close invoice tenant=%s period=%s", tenant, period);
            }
        }
        return closed;
    }

    private Optional<ClosedInvoice> closeOne(String tenant, BillingPeriod period) {
        Invoice invoice = engine.rate(tenant, period, plans.of(tenant), usage.usage(tenant, period.start(), period.end()));
        Optional<ClosedInvoice> stored = QuarkusTransaction.requiringNew().call(() -> {
            Optional<ClosedInvoice> result = book.close(invoice);
            result.ifPresent(c -> audit.recordAs(null, null, null, tenant, "billing.invoice.close", c.number(),
                    Map.of("period", period.toString(), "total", invoice.total().toString())));
            return result;
        });
        stored.ifPresent(c -> LOG.infof("closed invoice %s tenant=%s period=%s total=%s", c.number(), tenant, period,
                invoice.total()));
        return stored;
    }

    private List<String> tenantsOf(BillingPeriod period) {
        String sql = "SELECT name FROM tenants WHERE created_at < ?"
                + " UNION SELECT DISTINCT t.name FROM usage_records u JOIN tenants t ON t.id = u.tenant_id"
                + " WHERE u.interval_start < ? AND u.interval_end >= ?"
                + " ORDER BY 1";
        return QuarkusTransaction.joiningExisting().call(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, utc(period.end()));
                ps.setObject(2, utc(period.end()));
                ps.setObject(3, utc(period.start()));
                var names = new ArrayList<String>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                return names;
            } catch (SQLException e) {
                throw new IllegalStateException("listing tenants to invoice for " + period, e);
            }
        });
    }
}
