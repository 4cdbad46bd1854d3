package dev.slipway.billing.metering;

import dev.slipway.billing.Meter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery faults over many seeded random report streams never change what is billed, or only lower it. */
class MeteringPropertiesTest {

    private static final int CASES = 300;
    private static final Instant T0 = Instant.parse("2026-11-05T10:00:00Z");

    /** The reports a worker would send for one instance that restarts now and then. */
    private static List<InstanceReport> stream(Random random, boolean restarts) {
        var reports = new ArrayList<InstanceReport>();
        BigDecimal cpuLimit = BigDecimal.valueOf(1 + random.nextInt(8), 1);
        long memoryLimit = (64L + random.nextInt(1024)) << 20;
        long now = random.nextInt(600);
        long running = now;
        long cpu = 0;
        for (int i = 0, n = 5 + random.nextInt(40); i < n; i++) {
            long step = 1 + random.nextInt(60);
            now += step;
            if (restarts && random.nextInt(8) == 0) {
                running = random.nextInt((int) step);
                cpu = 0;
            } else {
                running += step;
            }
            cpu += random.nextInt(1_000_000_000);
            reports.add(new InstanceReport("acme", "web", "i-1", T0.plusSeconds(now), cpu, random.nextLong(memoryLimit),
                    cpuLimit, memoryLimit, Duration.ofSeconds(running)));
        }
        return reports;
    }

    private static Map<Meter, BigDecimal> ingest(List<InstanceReport> reports) {
        var repository = new InMemoryUsageRepository();
        var meter = new UsageMeter(repository);
        reports.forEach(meter::ingest);
        return UsageMeterTest.totals(repository.usage("acme", T0.minusSeconds(86400), T0.plusSeconds(86400)));
    }

    @Test
    void duplicatedAndRedeliveredReportsAreIdempotent() {
        for (int seed = 0; seed < CASES; seed++) {
            Random random = new Random(seed);
            List<InstanceReport> clean = stream(random, true);
            var faulty = new ArrayList<InstanceReport>();
            for (int i = 0; i < clean.size(); i++) {
                faulty.add(clean.get(i));
                while (random.nextInt(3) == 0) {
                    faulty.add(clean.get(random.nextInt(i + 1))); // a duplicate now, or an old report arriving late
                }
            }
            assertEquals(ingest(clean), ingest(faulty), "case " + seed);
        }
    }

    @Test
    void lostReportsNeverBillMoreAndWithoutRestartsLoseNothing() {
        for (int seed = 0; seed < CASES; seed++) {
            Random random = new Random(seed);
            boolean restarts = random.nextBoolean();
            List<InstanceReport> clean = stream(random, restarts);
            var lossy = new ArrayList<InstanceReport>();
            for (int i = 0; i < clean.size(); i++) {
                if (i == clean.size() - 1 || random.nextInt(3) != 0) {
                    lossy.add(clean.get(i));
                }
            }
            BigDecimal all = ingest(clean).getOrDefault(Meter.VCPU_SECONDS, BigDecimal.ZERO);
            BigDecimal some = ingest(lossy).getOrDefault(Meter.VCPU_SECONDS, BigDecimal.ZERO);
            assertTrue(some.compareTo(all) <= 0, "case " + seed + ": " + some + " > " + all);
            if (!restarts) {
                assertEquals(0, some.compareTo(all), "case " + seed);
                InstanceReport last = clean.getLast();
                BigDecimal expected = last.cpuLimit().multiply(BigDecimal.valueOf(last.running().toSeconds()));
                assertEquals(0, all.compareTo(expected), "case " + seed + ": limit x running time");
            }
        }
    }
}
