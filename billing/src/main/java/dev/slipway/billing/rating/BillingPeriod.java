package dev.slipway.billing.rating;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** A calendar month in UTC, {@code [start, end)}; invoices are per tenant and period. */
public record BillingPeriod(YearMonth month) {

    public static BillingPeriod containing(Instant instant) {
        return new BillingPeriod(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
    }

    public static BillingPeriod parse(String yyyyMm) {
        return new BillingPeriod(YearMonth.parse(yyyyMm));
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public long seconds() {
        return Duration.between(start(), end()).toSeconds();
    }

    public BillingPeriod previous() {
        return new BillingPeriod(month.minusMonths(1));
    }

    public BillingPeriod next() {
        return new BillingPeriod(month.plusMonths(1));
    }

    @Override
    public String toString() {
        return month.toString();
    }
}
