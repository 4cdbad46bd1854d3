package dev.slipway.api.metering;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.billing.ClosedInvoice;
import dev.slipway.api.billing.InvoiceClosing;
import dev.slipway.api.billing.PlanHistory;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.KeycloakAdmin;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.api.workers.WorkerStatsSink.Sample;
import dev.slipway.billing.rating.BillingPeriod;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's metering acceptance through the stats sink, the usage API and a closed invoice: an instance with 0.5 vCPU
 * and 128 MiB runs ten minutes (with a restart half-way), its worker repeats some frames and delivers others late.
 * A month two months back is used because it can always be closed.
 */
@QuarkusTest
class MeteringIntegrationTest {

    private static final BillingPeriod MONTH = BillingPeriod.containing(Instant.now()).previous().previous();
    private static final BigDecimal VCPU_PRICE = new BigDecimal("0.01");
    private static final BigDecimal MEMORY_PRICE = new BigDecimal("0.001");

    @Inject
    StatsMetering sink;

    @Inject
    PlanHistory plans;

    @Inject
    InvoiceClosing closing;

    private record Frame(Instant at, Sample sample) {
    }

    @Test
    void reservedUsageIsHalfAVcpuTimesTheRunningTimeAndTheInvoiceChargesThePlansPrice() {
        TestUser owner = TestUser.create("metered");
        String tenant = Api.createTenant(owner, "metered");
        String planId = publishPlanWithoutAllowance();
        plans.assign(tenant, planId, MONTH.start());
        MeteringFixture f = MeteringFixture.instance(tenant, "web", new BigDecimal("0.5"), 128);

        Instant start = MONTH.start().plus(Duration.ofDays(9)).plusSeconds(3);
        Instant restart = start.plusSeconds(305);
        Instant end = start.plusSeconds(600);
        List<Frame> frames = new ArrayList<>();
        for (Instant at = start.plusSeconds(10); !at.isAfter(end); at = at.plusSeconds(10)) {
            Instant startedAt = at.isBefore(restart) ? start : restart;
            long cpuMillis = Duration.between(startedAt, at).toMillis() / 5; // 0.2 cores busy
            frames.add(new Frame(at, f.sample(startedAt, cpuMillis)));
        }
        List<Frame> delivered = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            if (i % 7 == 3 && i + 1 < frames.size()) {
                delivered.add(frames.get(i + 1)); // overtakes the frame before it, which then arrives late
                delivered.add(frames.get(i));
                i++;
                continue;
            }
            delivered.add(frames.get(i));
            if (i % 5 == 0) {
                delivered.add(frames.get(i)); // repeated after a reconnect
            }
        }
        for (Frame frame : delivered) {
            sink.store(f.workerId(), frame.at(), List.of(frame.sample()));
        }

        BigDecimal measured = BigDecimal.valueOf(Duration.between(start, end).toSeconds());
        BigDecimal vcpuSeconds = usage(owner, tenant, "vcpu_seconds");
        BigDecimal expected = new BigDecimal("0.5").multiply(measured);
        assertTrue(vcpuSeconds.subtract(expected).abs().compareTo(expected.multiply(new BigDecimal("0.05"))) <= 0,
                "vCPU-seconds " + vcpuSeconds + " not within 5% of " + expected);
        assertTrue(vcpuSeconds.compareTo(expected) <= 0, "never more than the time it ran: " + vcpuSeconds);
        BigDecimal memory = usage(owner, tenant, "memory_gb_seconds");
        assertEquals(0, vcpuSeconds.divide(new BigDecimal("4")).compareTo(memory), "128 MiB = 0.125 GiB = 0.5 vCPU / 4");

        // the same frames again (a worker replaying after a reconnect) change nothing
        for (Frame frame : frames) {
            sink.store(f.workerId(), frame.at(), List.of(frame.sample()));
        }
        assertEquals(0, vcpuSeconds.compareTo(usage(owner, tenant, "vcpu_seconds")));

        ClosedInvoice invoice = closing.close(MONTH, Instant.now()).stream()
                .filter(c -> c.invoice().tenant().equals(tenant)).findFirst().orElseThrow();
        Map<String, Object> vcpuLine = line(owner, tenant, invoice.id(), "vcpu_seconds");
        assertEquals(0, vcpuSeconds.compareTo(new BigDecimal((String) vcpuLine.get("quantity"))));
        assertEquals(vcpuSeconds.multiply(VCPU_PRICE).setScale(2, RoundingMode.HALF_EVEN).toPlainString(),
                vcpuLine.get("amount"));
        Map<String, Object> memoryLine = line(owner, tenant, invoice.id(), "memory_gb_seconds");
        assertEquals(memory.multiply(MEMORY_PRICE).setScale(2, RoundingMode.HALF_EVEN).toPlainString(),
                memoryLine.get("amount"));

        TestUser outsider = TestUser.create("metered-out");
        Api.createTenant(outsider, "meteredout");
        outsider.api().get("/api/v1/tenants/" + tenant + "/usage").then().statusCode(404)
                .body("error.code", equalTo("TENANT_NOT_FOUND"));
        outsider.api().get("/api/v1/tenants/" + tenant + "/invoices/" + invoice.id()).then().statusCode(404);
        outsider.api().get("/api/v1/tenants/" + tenant + "/apps/web/metrics").then().statusCode(404);
    }

    private static BigDecimal usage(TestUser owner, String tenant, String meter) {
        List<Map<String, Object>> rows = owner.api().queryParam("from", MONTH.start().toString())
                .queryParam("to", MONTH.end().toString()).get("/api/v1/tenants/" + tenant + "/usage")
                .then().statusCode(200).extract().path("usage");
        return rows.stream().filter(r -> meter.equals(r.get("meter")))
                .map(r -> new BigDecimal((String) r.get("quantity"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Map<String, Object> line(TestUser owner, String tenant, UUID invoice, String meter) {
        List<Map<String, Object>> lines = owner.api().get("/api/v1/tenants/" + tenant + "/invoices/" + invoice)
                .then().statusCode(200).extract().path("lines");
        List<Map<String, Object>> ofMeter = lines.stream().filter(l -> meter.equals(l.get("meter"))).toList();
        assertEquals(1, ofMeter.size(), "one line for " + meter + ": " + lines);
        return ofMeter.get(0);
    }

    private static String publishPlanWithoutAllowance() {
        String id = "metered-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> plan = Map.of("id", id, "name", "Metered", "currency", "USD",
                "components", List.of(
                        Map.of("meter", "vcpu_seconds", "freeAllowance", "0",
                                "tiers", List.of(Map.of("unitPrice", VCPU_PRICE.toPlainString()))),
                        Map.of("meter", "memory_gb_seconds", "freeAllowance", "0",
                                "tiers", List.of(Map.of("unitPrice", MEMORY_PRICE.toPlainString())))),
                "hardLimits", Map.of());
        String admin = KeycloakAdmin.passwordGrant("admin", "admin");
        Api.bearer(admin).get("/api/v1/me").then().statusCode(200);
        Api.bearer(admin).body(plan).post("/api/v1/admin/plans").then().statusCode(201);
        return id;
    }
}
