package dev.slipway.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount held as a whole number of the currency's minor unit (cents for USD and EUR), so that once an
 * amount is money it can no longer carry fractions of a cent. Rounding into money happens in exactly
 * one place, {@link #roundedFrom}.
 */
public record Money(Currency currency, long minorUnits) {

    /** Line amounts are rounded half-to-even: unbiased over many lines, the rule banks use. */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    public static Money zero(Currency currency) {
        return new Money(currency, 0);
    }

    /** Rounds an exact amount in major units (e.g. dollars) to the currency's minor unit. */
    public static Money roundedFrom(BigDecimal major, Currency currency) {
        int digits = currency.getDefaultFractionDigits();
        return new Money(currency, major.setScale(digits, ROUNDING).movePointRight(digits).longValueExact());
    }

    public Money plus(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
        }
        return new Money(currency, Math.addExact(minorUnits, other.minorUnits));
    }

    /** The amount in major units with exactly the currency's number of decimals, e.g. {@code 12.30}. */
    public BigDecimal toMajor() {
        return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits());
    }

    @Override
    public String toString() {
        return toMajor().toPlainString() + " " + currency.getCurrencyCode();
    }
}
