package dev.slipway.api.billing;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slipway.billing.rating.Invoice;
import dev.slipway.billing.rating.InvoiceLine;

import java.time.Instant;
import java.util.List;

/**
 * An invoice or a running estimate as JSON. Amounts and quantities are decimal strings (never binary
 * floating point); {@code total} is the sum of the line amounts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvoiceView(String id, String number, String tenant, String period, String status, String currency,
                          String total, Instant closedAt, Instant asOf, String plan, List<Line> lines) {

    public record Line(String plan, String meter, String unit, Instant from, Instant to, String description,
                       String quantity, String unitPrice, String amount) {

        static Line of(InvoiceLine l) {
            return new Line(l.planId(), l.meter().wire(), l.meter().unit(), l.from(), l.to(), l.description(),
                    plain(l.quantity()), plain(l.unitPrice()), l.amount().toMajor().toPlainString());
        }
    }

    /** A summary row of an invoice list: no lines. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String id, String number, String period, String status, String currency, String total,
                          Instant closedAt) {
        static Summary of(ClosedInvoice c) {
            Invoice i = c.invoice();
            return new Summary(c.id().toString(), c.number(), i.period().toString(), "final",
                    i.currency().getCurrencyCode(), i.total().toMajor().toPlainString(), c.closedAt());
        }
    }

    static InvoiceView of(ClosedInvoice c) {
        Invoice i = c.invoice();
        return new InvoiceView(c.id().toString(), c.number(), i.tenant(), i.period().toString(), "final",
                i.currency().getCurrencyCode(), i.total().toMajor().toPlainString(), c.closedAt(), null, null,
                i.lines().stream().map(Line::of).toList());
    }

    static InvoiceView estimate(Invoice i, Instant asOf, String currentPlan) {
        return new InvoiceView(null, null, i.tenant(), i.period().toString(), "estimate",
                i.currency().getCurrencyCode(), i.total().toMajor().toPlainString(), null, asOf, currentPlan,
                i.lines().stream().map(Line::of).toList());
    }

    static String plain(java.math.BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
