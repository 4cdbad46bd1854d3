package dev.slipway.billing.rating;

import dev.slipway.billing.Meter;
import dev.slipway.billing.Money;
import dev.slipway.billing.UsageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RatingEngineTest {

    private static final BillingPeriod NOV_2026 = new BillingPeriod(YearMonth.of(2026, 11));
    private final RatingEngine engine = new RatingEngine();

    /** Allowance 10, then 100 units at 1.00, 100 at 0.50, the rest at 0.25. */
    private static Plan graduated() {
        return new Plan("graduated", "Graduated", StandardPlans.USD, List.of(new PriceComponent(Meter.VCPU_SECONDS,
                bd("10"), List.of(new Tier(bd("100"), bd("1.00")), new Tier(bd("200"), bd("0.50")),
                Tier.unbounded(bd("0.25"))))), Map.of());
    }

    private static Plan perUnit(String id, String allowance, String price, Meter... meters) {
        var components = new ArrayList<PriceComponent>();
        for (Meter m : meters) {
            components.add(PriceComponent.perUnit(m, bd(allowance), bd(price)));
        }
        return new Plan(id, id, StandardPlans.USD, components, Map.of());
    }

    private Invoice rateWholeMonth(Plan plan, UsageRecord... usage) {
        return engine.rate("acme", NOV_2026, List.of(new PlanAssignment(plan, NOV_2026.start())), List.of(usage));
    }

    @ParameterizedTest(name = "{0} units cost {1}")
    @CsvSource({
            "0, 0.00", "10, 0.00", "11, 1.00", "110, 100.00", "111, 100.50",
            "210, 150.00", "211, 150.25", "310, 175.00"})
    void graduatedTiersChargeEachUnitAtItsTiersPrice(String quantity, String total) {
        Invoice invoice = rateWholeMonth(graduated(), usage(Meter.VCPU_SECONDS, quantity, "2026-11-03T00:00:00Z", "2026-11-03T01:00:00Z"));
        assertEquals(bd(total), invoice.total().toMajor());
    }

    @Test
    void tierBoundaryShowsOneLinePerTierTouched() {
        Invoice invoice = rateWholeMonth(graduated(), usage(Meter.VCPU_SECONDS, "211", "2026-11-03T00:00:00Z", "2026-11-03T01:00:00Z"));
        assertEquals(List.of(bd("10"), bd("100"), bd("100"), bd("1")),
                invoice.lines().stream().map(InvoiceLine::quantity).toList());
        assertEquals(List.of("0", "1", "0.5", "0.25"), plain(invoice.lines().stream().map(InvoiceLine::unitPrice).toList()));
    }

    @Test
    void allowanceExhaustedMidPeriodBillsOnlyTheRest() {
        Plan plan = perUnit("plain", "150", "0.10", Meter.VCPU_SECONDS);
        var usage = new ArrayList<UsageRecord>();
        for (int day = 1; day <= 30; day++) {
            Instant start = Instant.parse("2026-11-01T00:00:00Z").plusSeconds((day - 1) * 86400L);
            usage.add(new UsageRecord("acme", "web", "i-1", Meter.VCPU_SECONDS, bd("10"), start, start.plusSeconds(86400)));
        }
        var timeline = List.of(new PlanAssignment(plan, NOV_2026.start()));
        // halfway through day 15 the allowance is exactly used: the running estimate is still zero
        Invoice midMonth = engine.rate("acme", NOV_2026, timeline, usage.subList(0, 15));
        assertEquals(0, midMonth.total().minorUnits());
        Invoice oneDayLater = engine.rate("acme", NOV_2026, timeline, usage.subList(0, 16));
        assertEquals(bd("1.00"), oneDayLater.total().toMajor());
        Invoice month = engine.rate("acme", NOV_2026, timeline, usage);
        assertEquals(bd("150"), month.lines().get(0).quantity());
        assertEquals(bd("150"), month.lines().get(1).quantity());
        assertEquals(bd("15.00"), month.total().toMajor());
    }

    @Test
    void planChangeSplitsUsageAtTheInstantAndProratesAllowances() {
        Plan cheap = perUnit("cheap", "100", "0.01", Meter.VCPU_SECONDS);
        Plan dear = perUnit("dear", "100", "1.00", Meter.VCPU_SECONDS);
        Instant change = Instant.parse("2026-11-11T00:00:00Z"); // 10 of 30 days on cheap
        // one record across the whole month, 3000 units: 1000 fall before the change, 2000 after
        UsageRecord month = new UsageRecord("acme", "web", "i-1", Meter.VCPU_SECONDS, bd("3000"),
                NOV_2026.start(), NOV_2026.end());
        Invoice invoice = engine.rate("acme", NOV_2026,
                List.of(new PlanAssignment(cheap, Instant.parse("2026-01-01T00:00:00Z")), new PlanAssignment(dear, change)),
                List.of(month));
        // cheap: allowance 100 x 10/30 = 33.333333 (rounded down), 966.666667 x 0.01 = 9.67
        // dear: allowance 100 x 20/30 = 66.666666, 1933.333334 x 1.00 = 1933.33
        assertEquals(List.of("33.333333", "966.666667", "66.666666", "1933.333334"), quantities(invoice));
        assertEquals(List.of("cheap", "cheap", "dear", "dear"), invoice.lines().stream().map(InvoiceLine::planId).toList());
        assertEquals(change, invoice.lines().get(1).to());
        assertEquals(change, invoice.lines().get(2).from());
        assertEquals(bd("1943.00"), invoice.total().toMajor());
    }

    @Test
    void eachLineIsRoundedHalfEvenAndTheTotalIsTheSumOfRoundedLines() {
        Plan plan = perUnit("plain", "0", "0.001", Meter.VCPU_SECONDS, Meter.MEMORY_GB_SECONDS, Meter.BUILD_MINUTES);
        Invoice invoice = rateWholeMonth(plan,
                usage(Meter.VCPU_SECONDS, "5", "2026-11-02T00:00:00Z", "2026-11-02T00:01:00Z"),     // 0.005 -> 0.00
                usage(Meter.MEMORY_GB_SECONDS, "15", "2026-11-02T00:00:00Z", "2026-11-02T00:01:00Z"), // 0.015 -> 0.02
                usage(Meter.BUILD_MINUTES, "25", "2026-11-02T00:00:00Z", "2026-11-02T00:01:00Z"));    // 0.025 -> 0.02
        assertEquals(List.of(0L, 2L, 2L), invoice.lines().stream().map(l -> l.amount().minorUnits()).toList());
        // rounding the exact sum 0.045 would have given 0.04: the rule is the sum of rounded lines
        assertEquals(new Money(StandardPlans.USD, 4), invoice.total());
    }

    @Test
    void zeroUsageGivesAnEmptyInvoiceOfZero() {
        Invoice invoice = rateWholeMonth(StandardPlans.pro());
        assertTrue(invoice.lines().isEmpty());
        assertEquals(Money.zero(StandardPlans.USD), invoice.total());
    }

    @ParameterizedTest(name = "{0}: {1} days")
    @CsvSource({
            "2026-02, 28, 250",
            "2028-02, 29, 241.37931",
            "2026-04, 30, 233.333333",
            "2026-01, 31, 225.806451"})
    void monthsOf28To31DaysProrateByTheirOwnLength(String month, int days, String firstWeekAllowance) {
        BillingPeriod period = BillingPeriod.parse(month);
        assertEquals(days * 86400L, period.seconds());
        Plan a = perUnit("first", "1000", "1", Meter.VCPU_SECONDS);
        Plan b = perUnit("second", "1000", "2", Meter.VCPU_SECONDS);
        Instant change = period.start().plusSeconds(7 * 86400L);
        // one unit per second all month, recorded per hour
        var usage = new ArrayList<UsageRecord>();
        for (Instant t = period.start(); t.isBefore(period.end()); t = t.plusSeconds(3600)) {
            usage.add(new UsageRecord("acme", "web", "i-1", Meter.VCPU_SECONDS, bd("3600"), t, t.plusSeconds(3600)));
        }
        Invoice invoice = engine.rate("acme", period,
                List.of(new PlanAssignment(a, period.start()), new PlanAssignment(b, change)), usage);
        assertEquals(firstWeekAllowance, quantities(invoice).getFirst());
        BigDecimal allUnits = invoice.lines().stream().map(InvoiceLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, allUnits.compareTo(BigDecimal.valueOf(period.seconds())));
    }

    @Test
    void usageAcrossMonthEndIsSplitAndEachMonthBillsItsShare() {
        Plan plan = perUnit("plain", "0", "1", Meter.VCPU_SECONDS);
        UsageRecord straddling = new UsageRecord("acme", "web", "i-1", Meter.VCPU_SECONDS, bd("10"),
                Instant.parse("2026-11-30T23:59:57Z"), Instant.parse("2026-12-01T00:00:03Z"));
        var timeline = List.of(new PlanAssignment(plan, NOV_2026.start()));
        Invoice nov = engine.rate("acme", NOV_2026, timeline, List.of(straddling));
        Invoice dec = engine.rate("acme", NOV_2026.next(), timeline, List.of(straddling));
        assertEquals(List.of("5"), quantities(nov));
        assertEquals(List.of("5"), quantities(dec));
        assertEquals(1000, nov.total().plus(dec.total()).minorUnits());
    }

    @Test
    void usageOfOtherTenantsAndInsightMetersIsNotBilled() {
        Invoice invoice = rateWholeMonth(StandardPlans.pro(),
                new UsageRecord("other", "web", "i-9", Meter.VCPU_SECONDS, bd("9999999"), NOV_2026.start(), NOV_2026.end()),
                usage(Meter.CPU_SECONDS_USED, "9999999", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z"));
        assertTrue(invoice.lines().isEmpty());
    }

    @Test
    void usageBeforeTheFirstPlanIsRejected() {
        var timeline = List.of(new PlanAssignment(StandardPlans.free(), Instant.parse("2026-11-10T00:00:00Z")));
        var early = List.of(usage(Meter.VCPU_SECONDS, "1", "2026-11-02T00:00:00Z", "2026-11-02T00:01:00Z"));
        assertThrows(IllegalArgumentException.class, () -> engine.rate("acme", NOV_2026, timeline, early));
    }

    static UsageRecord usage(Meter meter, String quantity, String start, String end) {
        return new UsageRecord("acme", "web", "i-1", meter, bd(quantity), Instant.parse(start), Instant.parse(end));
    }

    static BigDecimal bd(String s) {
        return new BigDecimal(s);
    }

    /** Decimals as their plain text without trailing zeros: compares values, not scales. */
    static List<String> plain(List<BigDecimal> values) {
        return values.stream().map(v -> v.stripTrailingZeros().toPlainString()).toList();
    }

    static List<String> quantities(Invoice invoice) {
        return plain(invoice.lines().stream().map(InvoiceLine::quantity).toList());
    }
}
