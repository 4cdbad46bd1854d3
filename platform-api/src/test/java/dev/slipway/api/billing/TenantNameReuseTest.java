package dev.slipway.api.billing;

import static dev.slipway.api.billing.BillingFixtures.report;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.billing.rating.BillingPeriod;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A deleted tenant's name can be taken again. Its audit trail, usage, plan history and invoices stay in the
 * database, but belong to the deleted tenant's id: the new owner of the name must see none of them.
 */
@QuarkusTest
class TenantNameReuseTest {

    private static final BillingPeriod MONTH = BillingPeriod.containing(Instant.now()).previous().previous();

    @Inject
    UsageIngestion ingestion;

    @Inject
    InvoiceClosing closing;

    @Test
    void aNewTenantWithAnOldNameInheritsNothing() {
        TestUser first = TestUser.create("reuse-a");
        String name = Api.createTenant(first, "xreuse");
        first.api().body(Map.of("plan", "pro")).put("/api/v1/tenants/" + name + "/plan").then().statusCode(200);
        ingestion.ingest(report(name, "web-reuse-" + UUID.randomUUID(), MONTH.start().plus(Duration.ofDays(3)), 86_400));
        String instanceNow = "web-reuse-now-" + UUID.randomUUID();
        Instant now = Instant.now();
        ingestion.ingest(report(name, instanceNow, now, BillingFixtures.secondsInOpenMonth(now, 600)));
        assertTrue(closing.close(MONTH, Instant.now()).stream().anyMatch(c -> c.invoice().tenant().equals(name)),
                "set-up: the first tenant has an invoice");
        first.api().get("/api/v1/tenants/" + name + "/invoices").then().statusCode(200).body("$", hasSize(1));
        first.api().get("/api/v1/tenants/" + name + "/audit").then().statusCode(200).body("items", not(empty()));
        first.api().queryParam("from", MONTH.start().toString()).get("/api/v1/tenants/" + name + "/usage")
                .then().statusCode(200).body("usage", not(empty()));
        first.api().delete("/api/v1/tenants/" + name).then().statusCode(204);

        TestUser second = TestUser.create("reuse-b");
        second.api().body(Map.of("name", name)).post("/api/v1/tenants").then().statusCode(201);

        second.api().get("/api/v1/tenants/" + name + "/audit").then().statusCode(200)
                .body("items.action", equalTo(List.of("tenant.create")))
                .body("total", equalTo(1));
        second.api().queryParam("from", MONTH.start().toString()).get("/api/v1/tenants/" + name + "/usage")
                .then().statusCode(200).body("usage", empty());
        second.api().get("/api/v1/tenants/" + name + "/invoices").then().statusCode(200).body("$", empty());
        second.api().get("/api/v1/tenants/" + name + "/plan").then().statusCode(200)
                .body("plan", equalTo("free")).body("history", hasSize(1));

        // closing the month again must not bill the new tenant for the old one's usage
        closing.close(MONTH, Instant.now());
        second.api().get("/api/v1/tenants/" + name + "/invoices").then().statusCode(200).body("$", empty());
    }
}
