package dev.slipway.billing.rating;

import dev.slipway.billing.Meter;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * A price plan. Plans are immutable once published: a change of prices is a new plan, so that an invoice
 * can always be re-rated from the plans it names. Meters without a component are not charged.
 *
 * <p>{@code hardLimits} are per-month ceilings (the free plan's): usage beyond them is refused at deploy
 * and push time by the quota hooks rather than billed.
 */
public record Plan(String id, String name, Currency currency, List<PriceComponent> components,
                   Map<Meter, BigDecimal> hardLimits) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,31}");

    public Plan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(currency, "currency");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("plan id must match " + ID.pattern());
        }
        components = List.copyOf(components);
        var seen = new HashSet<Meter>();
        for (PriceComponent c : components) {
            if (!seen.add(c.meter())) {
                throw new IllegalArgumentException("meter " + c.meter().wire() + " is priced twice");
            }
        }
        var limits = new EnumMap<Meter, BigDecimal>(Meter.class);
        limits.putAll(hardLimits);
        limits.values().forEach(v -> {
            if (v.signum() < 0) {
                throw new IllegalArgumentException("hard limits must not be negative");
            }
        });
        hardLimits = Collections.unmodifiableMap(limits);
    }

    public Optional<PriceComponent> component(Meter meter) {
        return components.stream().filter(c -> c.meter() == meter).findFirst();
    }

    public Optional<BigDecimal> hardLimit(Meter meter) {
        return Optional.ofNullable(hardLimits.get(meter));
    }
}
