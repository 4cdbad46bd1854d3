package dev.slipway.billing.rating;

import dev.slipway.billing.Money;

import java.util.Currency;
import java.util.List;

/**
 * The rated charges of one tenant for one period. {@code total} is the sum of the already rounded line
 * amounts, so the lines a customer sees always add up to the total they pay.
 */
public record Invoice(String tenant, BillingPeriod period, Currency currency, List<InvoiceLine> lines, Money total) {

    public Invoice {
        lines = List.copyOf(lines);
        Money sum = lines.stream().map(InvoiceLine::amount).reduce(Money.zero(currency), Money::plus);
        if (!sum.equals(total)) {
            throw new IllegalArgumentException("invoice total " + total + " is not the sum of its lines " + sum);
        }
    }

    public static Invoice of(String tenant, BillingPeriod period, Currency currency, List<InvoiceLine> lines) {
        Money total = lines.stream().map(InvoiceLine::amount).reduce(Money.zero(currency), Money::plus);
        return new Invoice(tenant, period, currency, lines, total);
    }
}
