package dev.slipway.billing.rating;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One step of a graduated price: billable units up to {@code upTo} (counted from the first billable
 * unit of the month, after the free allowance) cost {@code unitPrice} each. {@code upTo} is null for the
 * last, unbounded tier. Prices are in the plan currency's major unit and may have many decimals
 * (e.g. 0.000010 USD per vCPU-second).
 */
public record Tier(BigDecimal upTo, BigDecimal unitPrice) {

    public Tier {
        Objects.requireNonNull(unitPrice, "unitPrice");
        if (unitPrice.signum() < 0) {
            throw new IllegalArgumentException("unit price must not be negative");
        }
        if (upTo != null && upTo.signum() <= 0) {
            throw new IllegalArgumentException("tier bound must be positive");
        }
    }

    public static Tier unbounded(BigDecimal unitPrice) {
        return new Tier(null, unitPrice);
    }

    public boolean bounded() {
        return upTo != null;
    }
}
