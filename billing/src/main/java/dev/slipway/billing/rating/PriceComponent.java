package dev.slipway.billing.rating;

import dev.slipway.billing.Meter;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * How a plan prices one meter per calendar month: the first {@code freeAllowance} units are included,
 * the rest are priced by graduated {@code tiers} (a single unbounded tier is a plain per-unit price).
 */
public record PriceComponent(Meter meter, BigDecimal freeAllowance, List<Tier> tiers) {

    public PriceComponent {
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(freeAllowance, "freeAllowance");
        tiers = List.copyOf(tiers);
        if (!meter.billed()) {
            throw new IllegalArgumentException(meter.wire() + " is recorded for insight and cannot be priced");
        }
        if (freeAllowance.signum() < 0) {
            throw new IllegalArgumentException("free allowance must not be negative");
        }
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("a price component needs at least one tier");
        }
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            boolean last = i == tiers.size() - 1;
            if (last != !tier.bounded()) {
                throw new IllegalArgumentException("only the last tier, and always the last tier, is unbounded");
            }
            if (tier.bounded()) {
                if (tier.upTo().compareTo(previous) <= 0) {
                    throw new IllegalArgumentException("tier bounds must ascend");
                }
                previous = tier.upTo();
            }
        }
    }

    public static PriceComponent perUnit(Meter meter, BigDecimal freeAllowance, BigDecimal unitPrice) {
        return new PriceComponent(meter, freeAllowance, List.of(Tier.unbounded(unitPrice)));
    }
}
