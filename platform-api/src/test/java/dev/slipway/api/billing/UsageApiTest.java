package dev.slipway.api.billing;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.billing.metering.UsageMeter.Outcome;
import dev.slipway.billing.rating.BillingPeriod;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.slipway.api.billing.BillingFixtures.report;
import static dev.slipway.api.billing.BillingFixtures.sum;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Worker reports in through UsageIngestion, numbers out through the usage API. */
@QuarkusTest
class UsageApiTest {

    @Inject
    UsageIngestion ingestion;

    @Test
    void usageShowsReservedTimeOnceDespiteDuplicateLateAndRestartedReports() {
        TestUser owner = TestUser.create("usage-owner");
        String tenant = Api.createTenant(owner, "usage");
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);

        assertEquals(Outcome.METERED, ingestion.ingest(report(tenant, "web-1", base, 30)).outcome());
        assertEquals(Outcome.METERED, ingestion.ingest(report(tenant, "web-1", base.plusSeconds(30), 60)).outcome());
        assertEquals(Outcome.DUPLICATE, ingestion.ingest(report(tenant, "web-1", base.plusSeconds(30), 60)).outcome());
        assertEquals(Outcome.LATE, ingestion.ingest(report(tenant, "web-1", base.plusSeconds(15), 45)).outcome());
        // the container restarted at +80 s: counters start again from zero
        assertEquals(Outcome.RESTART_METERED, ingestion.ingest(report(tenant, "web-1", base.plusSeconds(90), 10)).outcome());
        assertEquals(Outcome.METERED, ingestion.ingest(report(tenant, "web-1", base.plusSeconds(120), 40)).outcome());
        assertEquals(Outcome.DUPLICATE, ingestion.ingest(report(tenant, "web-1", base.plusSeconds(120), 40)).outcome());

        String from = base.minusSeconds(3600).toString();
        String to = base.plusSeconds(3600).toString();
        // running time billed: 30 + 30 + 10 + 30 = 100 s; x 0.5 vCPU, x 0.125 GiB
        List<Map<String, Object>> byMeter = owner.api().queryParam("from", from).queryParam("to", to)
                .get("/api/v1/tenants/" + tenant + "/usage")
                .then().statusCode(200).body("groupBy", equalTo("meter")).extract().path("usage");
        assertEquals(new BigDecimal("50"), sum(byMeter, "vcpu_seconds"));
        assertEquals(new BigDecimal("12.5"), sum(byMeter, "memory_gb_seconds"));
        assertEquals(new BigDecimal("10"), sum(byMeter, "cpu_seconds_used")); // 0.1 s of CPU per running second
        assertEquals(4, byMeter.size());

        List<Map<String, Object>> byApp = owner.api().queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "app").get("/api/v1/tenants/" + tenant + "/usage")
                .then().statusCode(200).extract().path("usage");
        assertEquals("web", byApp.getFirst().get("app"));
        assertEquals(new BigDecimal("50"), sum(byApp, "vcpu_seconds"));

        List<Map<String, Object>> byDay = owner.api().queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "day").get("/api/v1/tenants/" + tenant + "/usage")
                .then().statusCode(200).extract().path("usage");
        assertEquals(base.minusSeconds(30).toString().substring(0, 10), byDay.getFirst().get("day"));
        assertEquals(new BigDecimal("50"), sum(byDay, "vcpu_seconds"));
    }

    @Test
    void aLostWorkersInstanceIsNotBilledAfterItsLastReport() {
        TestUser owner = TestUser.create("lost-owner");
        String tenant = Api.createTenant(owner, "lost");
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3000);
        ingestion.ingest(report(tenant, "web-lost", base, 20));
        ingestion.end("web-lost");
        assertEquals(Outcome.INSTANCE_ENDED, ingestion.ingest(report(tenant, "web-lost", base.plusSeconds(2000), 2020)).outcome());
        List<Map<String, Object>> usage = owner.api().queryParam("from", base.minusSeconds(60).toString())
                .queryParam("to", base.plusSeconds(2500).toString())
                .get("/api/v1/tenants/" + tenant + "/usage").then().statusCode(200).extract().path("usage");
        assertEquals(new BigDecimal("10"), sum(usage, "vcpu_seconds"));
    }

    @Test
    void estimateRatesTheOpenMonthOnTheCurrentPlan() {
        TestUser owner = TestUser.create("estimate-owner");
        String tenant = Api.createTenant(owner, "estimate");
        owner.api().body(Map.of("plan", "pro")).put("/api/v1/tenants/" + tenant + "/plan")
                .then().statusCode(200).body("plan", equalTo("pro"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long seconds = BillingFixtures.secondsInOpenMonth(now, 60);
        ingestion.ingest(report(tenant, "web-est", now, seconds));

        var estimate = owner.api().get("/api/v1/tenants/" + tenant + "/usage/estimate")
                .then().statusCode(200)
                .body("status", equalTo("estimate"))
                .body("plan", equalTo("pro"))
                .body("period", equalTo(BillingPeriod.containing(now).toString()))
                .body("currency", equalTo("USD"))
                .body("total", equalTo("0.00"))
                .extract().jsonPath();
        List<Map<String, Object>> lines = estimate.getList("lines");
        BigDecimal vcpu = lines.stream().filter(l -> "vcpu_seconds".equals(l.get("meter")))
                .map(l -> new BigDecimal((String) l.get("quantity"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, BigDecimal.valueOf(seconds).multiply(new BigDecimal("0.5")).compareTo(vcpu));
    }

    @Test
    void badQueryParametersAreClearErrors() {
        TestUser owner = TestUser.create("usage-bad");
        String tenant = Api.createTenant(owner, "usagebad");
        owner.api().queryParam("groupBy", "planet").get("/api/v1/tenants/" + tenant + "/usage")
                .then().statusCode(400).body("error.code", equalTo("INVALID_FIELD"));
        owner.api().queryParam("from", "yesterday").get("/api/v1/tenants/" + tenant + "/usage")
                .then().statusCode(400).body("error.code", equalTo("INVALID_FIELD"));
        owner.api().queryParam("from", "2026-11-02").queryParam("to", "2026-11-01").get("/api/v1/tenants/" + tenant + "/usage")
                .then().statusCode(400).body("error.code", equalTo("INVALID_FIELD"));
    }
}
