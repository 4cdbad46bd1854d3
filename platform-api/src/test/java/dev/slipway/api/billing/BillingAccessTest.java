package dev.slipway.api.billing;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.billing.rating.BillingPeriod;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.slipway.api.billing.BillingFixtures.report;
import static org.hamcrest.Matchers.equalTo;

/** Billing data is visible to a tenant's owners and admins only; for everyone else the tenant does not exist. */
@QuarkusTest
class BillingAccessTest {

    @Inject
    UsageIngestion ingestion;

    @Inject
    InvoiceClosing closing;

    @Test
    void otherTenantsAndLowerRolesCannotSeeUsageOrInvoices() {
        TestUser owner = TestUser.create("acc-owner");
        TestUser admin = TestUser.create("acc-admin");
        TestUser developer = TestUser.create("acc-dev");
        TestUser stranger = TestUser.create("acc-stranger");
        String tenant = Api.createTenant(owner, "acc");
        String strangers = Api.createTenant(stranger, "acc-other");
        Api.addMember(owner, tenant, admin, "admin");
        Api.addMember(owner, tenant, developer, "developer");

        BillingPeriod month = BillingPeriod.containing(Instant.now()).previous().previous();
        ingestion.ingest(report(tenant, "web-acc-" + UUID.randomUUID(), month.start().plus(Duration.ofDays(2)), 3600));
        String invoiceId = closing.close(month, Instant.now()).stream()
                .filter(c -> c.invoice().tenant().equals(tenant)).findFirst().orElseThrow().id().toString();

        String t = "/api/v1/tenants/" + tenant;
        List<String> reads = List.of(t + "/usage", t + "/usage/estimate", t + "/invoices", t + "/invoices/" + invoiceId,
                t + "/plan");
        for (String path : reads) {
            owner.api().get(path).then().statusCode(200);
            admin.api().get(path).then().statusCode(200);
            developer.api().get(path).then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
            stranger.api().get(path).then().statusCode(404).body("error.code", equalTo("TENANT_NOT_FOUND"));
        }
        // the stranger's own tenant does not lead to another tenant's invoice
        stranger.api().get("/api/v1/tenants/" + strangers + "/invoices/" + invoiceId)
                .then().statusCode(404).body("error.code", equalTo("INVOICE_NOT_FOUND"));
        stranger.api().get("/api/v1/tenants/" + strangers + "/invoices").then().statusCode(200).body("size()", equalTo(0));

        // only the owner changes the plan
        admin.api().body(Map.of("plan", "pro")).put(t + "/plan").then().statusCode(403);
        stranger.api().body(Map.of("plan", "pro")).put(t + "/plan").then().statusCode(404);
        owner.api().get(t + "/plan").then().statusCode(200).body("plan", equalTo("free"));
        // a read-only token of the owner cannot change the plan either
        String readOnly = Api.createToken(owner, List.of("read"), 1);
        Api.bearer(readOnly).get(t + "/usage").then().statusCode(200);
        Api.bearer(readOnly).body(Map.of("plan", "pro")).put(t + "/plan").then().statusCode(403);
    }
}
