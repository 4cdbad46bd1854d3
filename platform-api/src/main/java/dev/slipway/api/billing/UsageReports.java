package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import dev.slipway.billing.rating.BillingPeriod;
import dev.slipway.billing.rating.Invoice;
import dev.slipway.billing.rating.RatingEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Read side of billing for a tenant: usage summaries and the running estimate of the open month. */
@ApplicationScoped
public class UsageReports {

    public enum GroupBy { METER, APP, DAY }

    /** One row of a usage summary; {@code app} or {@code day} is set when grouped by it. */
    public record Row(String app, String day, String meter, String unit, boolean billed, String quantity) {
    }

    public record Summary(String tenant, Instant from, Instant to, String groupBy, List<Row> usage) {
    }

    @Inject
    PgUsageRepository usage;

    @Inject
    PlanHistory plans;

    private final RatingEngine engine = new RatingEngine();

    /** Usage measured in {@code [from, to)}; a record counts where its interval starts. */
    public Summary summarize(String tenant, Instant from, Instant to, GroupBy groupBy) {
        if (!from.isBefore(to)) {
            throw ApiException.invalidField("from", "must be before 'to'");
        }
        Map<List<String>, BigDecimal> sums = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        for (UsageRecord r : usage.usage(tenant, from, to)) {
            if (r.start().isBefore(from)) {
                continue;
            }
            String group = switch (groupBy) {
                case METER -> "";
                case APP -> r.app() == null ? "" : r.app();
                case DAY -> r.start().atOffset(ZoneOffset.UTC).toLocalDate().toString();
            };
            sums.merge(List.of(group, String.valueOf(r.meter().ordinal())), r.quantity(), BigDecimal::add);
        }
        var rows = new ArrayList<Row>();
        sums.forEach((key, quantity) -> {
            Meter meter = Meter.values()[Integer.parseInt(key.get(1))];
            rows.add(new Row(groupBy == GroupBy.APP ? key.get(0) : null, groupBy == GroupBy.DAY ? key.get(0) : null,
                    meter.wire(), meter.unit(), meter.billed(), InvoiceView.plain(quantity)));
        });
        return new Summary(tenant, from, to, groupBy.name().toLowerCase(), rows);
    }

    /** What the open month would cost if no more usage came: same rules as the final invoice. */
    public InvoiceView estimate(String tenant, Instant now) {
        BillingPeriod period = BillingPeriod.containing(now);
        var history = plans.of(tenant);
        Invoice invoice = engine.rate(tenant, period, history, usage.usage(tenant, period.start(), now));
        return InvoiceView.estimate(invoice, now, plans.current(tenant, now).id());
    }
}
