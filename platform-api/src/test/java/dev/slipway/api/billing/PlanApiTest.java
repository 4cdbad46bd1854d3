package dev.slipway.api.billing;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.KeycloakAdmin;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.billing.rating.StandardPlans;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class PlanApiTest {

    @Inject
    PlanCatalog catalog;

    @Test
    void seededPlansAreTheStandardPlans() {
        assertEquals(StandardPlans.free(), catalog.find("free").orElseThrow());
        assertEquals(StandardPlans.pro(), catalog.find("pro").orElseThrow());
        TestUser user = TestUser.create("plans-reader");
        user.api().get("/api/v1/plans").then().statusCode(200).body("id", hasItems("free", "pro"));
    }

    @Test
    void platformAdminsPublishPlansThatNeverChange() {
        String id = "team-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> plan = Map.of("id", id, "name", "Team", "currency", "USD",
                "components", List.of(Map.of("meter", "vcpu_seconds", "freeAllowance", "1000",
                        "tiers", List.of(Map.of("upTo", "5000", "unitPrice", "0.00002"), Map.of("unitPrice", "0.00001")))),
                "hardLimits", Map.of());
        String adminToken = KeycloakAdmin.passwordGrant("admin", "admin");
        Api.bearer(adminToken).body(plan).post("/api/v1/admin/plans").then().statusCode(201)
                .body("id", equalTo(id))
                .body("components[0].tiers[1].unitPrice", equalTo("0.00001"));
        Api.bearer(adminToken).body(plan).post("/api/v1/admin/plans").then().statusCode(409)
                .body("error.code", equalTo("PLAN_EXISTS"));
        var badMeter = new java.util.HashMap<>(plan);
        badMeter.put("id", id + "x");
        badMeter.put("components", List.of(Map.of("meter", "cpu_seconds_used", "tiers", List.of(Map.of("unitPrice", "1")))));
        Api.bearer(adminToken).body(badMeter).post("/api/v1/admin/plans").then().statusCode(400)
                .body("error.code", equalTo("INVALID_FIELD"));

        TestUser owner = TestUser.create("plans-owner");
        owner.api().body(plan).post("/api/v1/admin/plans").then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));

        String tenant = Api.createTenant(owner, "planned");
        owner.api().body(Map.of("plan", id)).put("/api/v1/tenants/" + tenant + "/plan").then().statusCode(200)
                .body("plan", equalTo(id))
                .body("history.plan", equalTo(List.of("free", id)));
        // asking again for the plan in force adds no cut to the month
        owner.api().body(Map.of("plan", id)).put("/api/v1/tenants/" + tenant + "/plan").then().statusCode(200)
                .body("history.plan", equalTo(List.of("free", id)));
        owner.api().body(Map.of("plan", "gold")).put("/api/v1/tenants/" + tenant + "/plan").then().statusCode(404)
                .body("error.code", equalTo("PLAN_NOT_FOUND"));
        owner.api().body(Map.of()).put("/api/v1/tenants/" + tenant + "/plan").then().statusCode(400)
                .body("error.code", equalTo("INVALID_FIELD"));
    }
}
