package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.billing.Meter;
import dev.slipway.billing.rating.Plan;
import dev.slipway.billing.rating.PriceComponent;
import dev.slipway.billing.rating.Tier;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan as JSON: the body of {@code POST /api/v1/admin/plans}, the answer of {@code GET /api/v1/plans} and
 * (without id, name and currency) the stored definition. Decimals are strings so that no price is ever a
 * binary floating-point number.
 */
public record PlanDocument(String id, String name, String currency, List<Component> components,
                           Map<String, String> hardLimits) {

    public record Component(String meter, String freeAllowance, List<TierDocument> tiers) {
    }

    public record TierDocument(String upTo, String unitPrice) {
    }

    /** The stored part of a plan: what rating needs beyond id, name and currency. */
    public record Definition(List<Component> components, Map<String, String> hardLimits) {
    }

    public static PlanDocument of(Plan plan) {
        var components = plan.components().stream().map(c -> new Component(c.meter().wire(),
                c.freeAllowance().toPlainString(), c.tiers().stream().map(t -> new TierDocument(
                        t.upTo() == null ? null : t.upTo().toPlainString(), t.unitPrice().toPlainString())).toList()))
                .toList();
        var limits = new LinkedHashMap<String, String>();
        plan.hardLimits().forEach((meter, limit) -> limits.put(meter.wire(), limit.toPlainString()));
        return new PlanDocument(plan.id(), plan.name(), plan.currency().getCurrencyCode(), components, limits);
    }

    public Definition definition() {
        return new Definition(components, hardLimits);
    }

    /** Validates and converts; every problem is a 400 {@code INVALID_FIELD} naming the field. */
    public Plan toPlan() {
        if (id == null || name == null || name.isBlank() || currency == null || components == null) {
            throw ApiException.invalidField(id == null ? "id" : name == null || name.isBlank() ? "name"
                    : currency == null ? "currency" : "components", "is required");
        }
        Currency cur;
        try {
            cur = Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("currency", "'" + currency + "' is not an ISO 4217 currency code");
        }
        var priced = new ArrayList<PriceComponent>();
        for (int i = 0; i < components.size(); i++) {
            priced.add(component(components.get(i), "components[" + i + "]"));
        }
        var limits = new LinkedHashMap<Meter, BigDecimal>();
        if (hardLimits != null) {
            hardLimits.forEach((meter, limit) -> limits.put(meter(meter, "hardLimits"), decimal(limit, "hardLimits." + meter)));
        }
        try {
            return new Plan(id, name, cur, priced, limits);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("plan", e.getMessage());
        }
    }

    private static PriceComponent component(Component c, String field) {
        if (c == null || c.tiers() == null) {
            throw ApiException.invalidField(field + ".tiers", "is required");
        }
        var tiers = new ArrayList<Tier>();
        for (int i = 0; i < c.tiers().size(); i++) {
            TierDocument t = c.tiers().get(i);
            String tf = field + ".tiers[" + i + "]";
            if (t == null) {
                throw ApiException.invalidField(tf, "is required");
            }
            try {
                tiers.add(new Tier(t.upTo() == null ? null : decimal(t.upTo(), tf + ".upTo"),
                        decimal(t.unitPrice(), tf + ".unitPrice")));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidField(tf, e.getMessage());
            }
        }
        try {
            return new PriceComponent(meter(c.meter(), field + ".meter"),
                    c.freeAllowance() == null ? BigDecimal.ZERO : decimal(c.freeAllowance(), field + ".freeAllowance"), tiers);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField(field, e.getMessage());
        }
    }

    static Meter meter(String wire, String field) {
        return Meter.fromWire(wire == null ? "" : wire).orElseThrow(() -> ApiException.invalidField(field,
                "unknown meter '" + wire + "'"));
    }

    private static BigDecimal decimal(String value, String field) {
        try {
            return new BigDecimal(value);
        } catch (NullPointerException | NumberFormatException e) {
            throw ApiException.invalidField(field, "'" + value + "' is not a decimal number");
        }
    }
}
