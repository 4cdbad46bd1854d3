package dev.slipway.billing.rating;

import dev.slipway.billing.Meter;
import dev.slipway.billing.Money;
import dev.slipway.billing.UsageRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a tenant's usage of one month into invoice lines. Stateless and pure: the same usage and plan
 * history always give the same invoice, which is what lets an open month be estimated at any time and a
 * closed month be re-rated for checking.
 *
 * <p>Rules (also on docs/pricing.md):
 * <ol>
 *   <li>Periods are calendar months in UTC. A month is cut into <em>segments</em> at every plan change; each
 *       segment is rated on the plan in force.</li>
 *   <li>Usage records crossing a cut are split in proportion to time ({@link UsageApportioner}).</li>
 *   <li>Quantities stay exact (no rounding) while they are summed.</li>
 *   <li>A plan's free allowance and tier bounds are per month; in a segment they are scaled by the
 *       segment's share of the month ({@code segment length / month length}) and rounded down to
 *       {@value #PRORATION_SCALE} decimals, so proration never grants more than the share.</li>
 *   <li>The allowance is used first; billable units then fill the tiers in order.</li>
 *   <li>Each line's amount is {@code quantity x unitPrice} rounded half-even to the currency's minor
 *       unit; the invoice total is the sum of the rounded lines.</li>
 * </ol>
 */
public final class RatingEngine {

    static final int PRORATION_SCALE = 6;

    private record Segment(Plan plan, Instant start, Instant end) {
    }

    /**
     * Rates {@code usage} of {@code tenant} in {@code period}. {@code planHistory} is the tenant's whole plan
     * history (any order); usage in the period before the first assignment is an error, because a tenant
     * always has a plan while it exists. Usage of other periods and unbilled meters is ignored.
     */
    public Invoice rate(String tenant, BillingPeriod period, List<PlanAssignment> planHistory,
                        Collection<UsageRecord> usage) {
        var history = planHistory.stream().sorted(Comparator.comparing(PlanAssignment::effectiveFrom)).toList();
        List<Segment> segments = segments(period, history);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("tenant " + tenant + " has no plan in " + period);
        }
        Currency currency = segments.getFirst().plan().currency();
        for (Segment s : segments) {
            if (!s.plan().currency().equals(currency)) {
                throw new IllegalArgumentException("plans of one period must share a currency");
            }
        }
        List<Map<Meter, BigDecimal>> quantities = sumBySegment(tenant, period, history, segments, usage);

        var lines = new ArrayList<InvoiceLine>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            for (var entry : quantities.get(i).entrySet()) {
                segment.plan().component(entry.getKey()).ifPresent(component ->
                        lines.addAll(rateComponent(segment, period, component, entry.getValue())));
            }
        }
        return Invoice.of(tenant, period, currency, lines);
    }

    private static List<Segment> segments(BillingPeriod period, List<PlanAssignment> history) {
        var segments = new ArrayList<Segment>();
        for (int i = 0; i < history.size(); i++) {
            Instant from = max(period.start(), history.get(i).effectiveFrom());
            Instant to = i + 1 < history.size() ? min(period.end(), history.get(i + 1).effectiveFrom()) : period.end();
            if (from.isBefore(to)) {
                segments.add(new Segment(history.get(i).plan(), from, to));
            }
        }
        return segments;
    }

    private static List<Map<Meter, BigDecimal>> sumBySegment(String tenant, BillingPeriod period,
                                                             List<PlanAssignment> history, List<Segment> segments,
                                                             Collection<UsageRecord> usage) {
        var cuts = new TreeSet<Instant>();
        history.forEach(a -> cuts.add(a.effectiveFrom()));
        var sums = new ArrayList<Map<Meter, BigDecimal>>();
        segments.forEach(s -> sums.add(new EnumMap<>(Meter.class)));
        for (UsageRecord record : usage) {
            if (!record.tenant().equals(tenant) || !record.meter().billed()) {
                continue;
            }
            addMonthBoundaries(cuts, record);
            for (var piece : UsageApportioner.split(record, cuts)) {
                if (piece.start().isBefore(period.start()) || !piece.start().isBefore(period.end())) {
                    continue;
                }
                int index = segmentOf(segments, piece.start());
                if (index < 0) {
                    throw new IllegalArgumentException("usage at " + piece.start() + " precedes the tenant's first plan");
                }
                sums.get(index).merge(record.meter(), piece.quantity(), BigDecimal::add);
            }
        }
        return sums;
    }

    private static void addMonthBoundaries(TreeSet<Instant> cuts, UsageRecord record) {
        for (Instant b = BillingPeriod.containing(record.start()).end(); b.isBefore(record.end());
             b = BillingPeriod.containing(b).end()) {
            cuts.add(b);
        }
    }

    private static int segmentOf(List<Segment> segments, Instant t) {
        for (int i = 0; i < segments.size(); i++) {
            if (!t.isBefore(segments.get(i).start()) && t.isBefore(segments.get(i).end())) {
                return i;
            }
        }
        return -1;
    }

    private static List<InvoiceLine> rateComponent(Segment segment, BillingPeriod period, PriceComponent component,
                                                   BigDecimal quantity) {
        Currency currency = segment.plan().currency();
        Meter meter = component.meter();
        long segmentMillis = Duration.between(segment.start(), segment.end()).toMillis();
        long periodMillis = Duration.between(period.start(), period.end()).toMillis();
        var lines = new ArrayList<InvoiceLine>();

        BigDecimal allowance = prorate(component.freeAllowance(), segmentMillis, periodMillis);
        BigDecimal included = quantity.min(allowance);
        if (included.signum() > 0) {
            lines.add(new InvoiceLine(segment.plan().id(), meter, segment.start(), segment.end(),
                    meter.label() + " (" + meter.unit() + "), included in plan " + segment.plan().id(),
                    included, BigDecimal.ZERO, Money.zero(currency)));
        }
        BigDecimal billable = quantity.subtract(included);
        BigDecimal lowerBound = BigDecimal.ZERO;
        List<Tier> tiers = component.tiers();
        for (int i = 0; i < tiers.size() && billable.compareTo(lowerBound) > 0; i++) {
            Tier tier = tiers.get(i);
            BigDecimal upperBound = tier.bounded() ? prorate(tier.upTo(), segmentMillis, periodMillis) : null;
            BigDecimal inTier = (upperBound == null ? billable : billable.min(upperBound)).subtract(lowerBound);
            if (inTier.signum() > 0) {
                lines.add(new InvoiceLine(segment.plan().id(), meter, segment.start(), segment.end(),
                        describe(meter, segment.plan(), tiers.size(), i, lowerBound, upperBound),
                        inTier, tier.unitPrice(), Money.roundedFrom(inTier.multiply(tier.unitPrice()), currency)));
            }
            if (upperBound != null) {
                lowerBound = lowerBound.max(upperBound);
            }
        }
        return lines;
    }

    private static String describe(Meter meter, Plan plan, int tierCount, int index, BigDecimal lower, BigDecimal upper) {
        String base = meter.label() + " (" + meter.unit() + "), plan " + plan.id();
        if (tierCount == 1) {
            return base;
        }
        return base + ", tier " + (index + 1) + " ("
                + (upper == null ? "above " + lower.toPlainString() : "up to " + upper.toPlainString()) + ")";
    }

    static BigDecimal prorate(BigDecimal monthly, long partMillis, long wholeMillis) {
        if (partMillis == wholeMillis) {
            return monthly;
        }
        return monthly.multiply(BigDecimal.valueOf(partMillis))
                .divide(BigDecimal.valueOf(wholeMillis), PRORATION_SCALE, RoundingMode.DOWN);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
