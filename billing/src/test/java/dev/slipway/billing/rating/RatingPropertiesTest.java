package dev.slipway.billing.rating;

import dev.slipway.billing.Meter;
import dev.slipway.billing.Money;
import dev.slipway.billing.UsageRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the rating engine over many random plans, plan histories and usages. Each case derives
 * from a fixed seed, so a failure names its case and repeats exactly.
 */
class RatingPropertiesTest {

    private static final int CASES = 400;
    private static final Meter[] BILLED = {Meter.VCPU_SECONDS, Meter.MEMORY_GB_SECONDS,
            Meter.REGISTRY_STORAGE_GB_HOURS, Meter.BUILD_MINUTES};

    private final RatingEngine engine = new RatingEngine();

    @Test
    void linesSumToTheTotalAndQuantitiesAreConserved() {
        for (int seed = 0; seed < CASES; seed++) {
            var scenario = Scenario.random(new Random(seed), true);
            Invoice invoice = engine.rate("acme", scenario.period, scenario.history, scenario.usage);

            Money sum = invoice.lines().stream().map(InvoiceLine::amount).reduce(Money.zero(invoice.currency()), Money::plus);
            assertEquals(sum, invoice.total(), "case " + seed);
            for (Meter meter : BILLED) {
                BigDecimal rated = invoice.lines().stream().filter(l -> l.meter() == meter)
                        .map(InvoiceLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal used = scenario.usage.stream().filter(r -> r.meter() == meter)
                        .map(UsageRecord::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertEquals(0, rated.compareTo(used), "case " + seed + ": every unit of " + meter + " is on a line");
            }
        }
    }

    @Test
    void moreUsageNeverCostsLess() {
        for (int seed = 0; seed < CASES; seed++) {
            Random random = new Random(seed);
            var scenario = Scenario.random(random, false);
            Money before = engine.rate("acme", scenario.period, scenario.history, scenario.usage).total();
            var more = new ArrayList<>(scenario.usage);
            more.add(Scenario.record(random, scenario.period));
            Money after = engine.rate("acme", scenario.period, scenario.history, more).total();
            assertTrue(after.minorUnits() >= before.minorUnits(), "case " + seed + ": " + before + " then " + after);
        }
    }

    @Test
    void theOrderOfUsageRecordsDoesNotMatter() {
        for (int seed = 0; seed < CASES / 4; seed++) {
            Random random = new Random(seed);
            var scenario = Scenario.random(random, false);
            var shuffled = new ArrayList<>(scenario.usage);
            java.util.Collections.shuffle(shuffled, random);
            assertEquals(engine.rate("acme", scenario.period, scenario.history, scenario.usage),
                    engine.rate("acme", scenario.period, scenario.history, shuffled), "case " + seed);
        }
    }

    private record Scenario(BillingPeriod period, List<PlanAssignment> history, List<UsageRecord> usage) {

        /** With {@code everyMeterPriced} false, plans leave some meters free of charge (no component). */
        static Scenario random(Random random, boolean everyMeterPriced) {
            var period = new BillingPeriod(YearMonth.of(2024 + random.nextInt(5), 1 + random.nextInt(12)));
            var history = new ArrayList<PlanAssignment>();
            history.add(new PlanAssignment(plan(random, "first", everyMeterPriced), period.start().minusSeconds(random.nextInt(1000))));
            for (int i = 0, changes = random.nextInt(3); i < changes; i++) {
                history.add(new PlanAssignment(plan(random, "change-" + i, everyMeterPriced), instantIn(random, period)));
            }
            var usage = new ArrayList<UsageRecord>();
            for (int i = 0, n = random.nextInt(40); i < n; i++) {
                usage.add(record(random, period));
            }
            return new Scenario(period, history, usage);
        }

        static UsageRecord record(Random random, BillingPeriod period) {
            Instant start = instantIn(random, period);
            Instant end = start.plusSeconds(random.nextInt(7200));
            if (end.isAfter(period.end())) {
                end = period.end();
            }
            BigDecimal quantity = BigDecimal.valueOf(random.nextLong(0, 10_000_000), random.nextInt(7));
            return new UsageRecord("acme", "app", "i-" + random.nextInt(5), BILLED[random.nextInt(BILLED.length)],
                    quantity, start, end);
        }

        static Plan plan(Random random, String id, boolean everyMeterPriced) {
            var components = new ArrayList<PriceComponent>();
            for (Meter meter : BILLED) {
                if (!everyMeterPriced && random.nextInt(5) == 0) {
                    continue;
                }
                var tiers = new ArrayList<Tier>();
                long bound = 0;
                for (int t = 0, n = random.nextInt(3); t < n; t++) {
                    bound += 1 + random.nextInt(1_000_000);
                    tiers.add(new Tier(BigDecimal.valueOf(bound), price(random)));
                }
                tiers.add(Tier.unbounded(price(random)));
                components.add(new PriceComponent(meter, BigDecimal.valueOf(random.nextInt(500_000)), tiers));
            }
            return new Plan(id, id, StandardPlans.USD, components, Map.of());
        }

        static BigDecimal price(Random random) {
            return BigDecimal.valueOf(random.nextInt(100_000), random.nextInt(9));
        }

        static Instant instantIn(Random random, BillingPeriod period) {
            return period.start().plusSeconds(random.nextLong(period.seconds()));
        }
    }
}
