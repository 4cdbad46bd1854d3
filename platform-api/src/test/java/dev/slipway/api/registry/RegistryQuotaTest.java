package dev.slipway.api.registry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.billing.PgUsageRepository;
import dev.slipway.api.registry.storage.Digest;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.KeycloakAdmin;
import dev.slipway.billing.Meter;
import dev.slipway.billing.UsageRecord;
import dev.slipway.billing.rating.BillingPeriod;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registry storage limits: the per-tenant byte quota that platform admins set, and the plan's monthly ceiling. */
@QuarkusTest
class RegistryQuotaTest {

    private static final long DEFAULT_QUOTA = 10L * 1024 * 1024 * 1024;

    @Inject
    PgUsageRepository usage;

    private static String platformAdmin() {
        String token = KeycloakAdmin.passwordGrant("admin", "admin");
        Api.bearer(token).get("/api/v1/me").then().statusCode(200);
        return token;
    }

    @Test
    void aPlatformAdminSetsTheQuotaAndAPushOverItIsDeniedNamingIt() {
        RegistryUser owner = RegistryUser.create("quota");
        String t = Api.createTenant(owner.user(), "quota");
        String admin = platformAdmin();
        Api.bearer(admin).body(Map.of("bytes", 1000)).put("/api/v1/admin/tenants/" + t + "/registry-quota").then()
                .statusCode(200).body("tenant", equalTo(t)).body("quotaBytes", equalTo(1000))
                .body("usedBytes", equalTo(0));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ? AND action = ?", t,
                "registry.quota.set"));

        RegistryProtocolTest.pushBlob(owner, t + "/small", new byte[600]);
        String location = owner.v2().post("/v2/" + t + "/big/blobs/uploads/").then().statusCode(202)
                .extract().header("Location");
        byte[] big = new byte[700];
        big[0] = 1;
        owner.v2().contentType("application/octet-stream").body(big).put(location + "?digest=" + Digest.sha256(big))
                .then().statusCode(403).body("errors[0].code", equalTo("DENIED"))
                .body("errors[0].message", containsString("quota is 1000 bytes"));
        owner.v2().head("/v2/" + t + "/big/blobs/" + Digest.sha256(big)).then().statusCode(404);
        // the same bytes again cost nothing: a second repository of the tenant may hold them
        RegistryProtocolTest.pushBlob(owner, t + "/copy", new byte[600]);
        owner.api().get("/api/v1/tenants/" + t + "/registry/usage").then().statusCode(200)
                .body("usedBytes", equalTo(600)).body("quotaBytes", equalTo(1000));

        Api.bearer(admin).delete("/api/v1/admin/tenants/" + t + "/registry-quota").then().statusCode(200)
                .body("quotaBytes", equalTo(DEFAULT_QUOTA));
        RegistryProtocolTest.pushBlob(owner, t + "/big", big);
    }

    @Test
    void onlyPlatformAdminsSetQuotasAndBadInputChangesNothing() {
        RegistryUser owner = RegistryUser.create("quota-in");
        String t = Api.createTenant(owner.user(), "quotain");
        String path = "/api/v1/admin/tenants/" + t + "/registry-quota";
        owner.user().api().body(Map.of("bytes", 1L << 40)).put(path).then().statusCode(403)
                .body("error.code", equalTo("FORBIDDEN"));
        String admin = platformAdmin();
        for (Object bad : List.of(Map.of("bytes", -1), Map.of("bytes", 1L << 51), Map.of())) {
            Api.bearer(admin).body(bad).put(path).then().statusCode(400)
                    .body("error.code", equalTo("INVALID_FIELD")).body("error.message", containsString("bytes"));
        }
        Api.bearer(admin).body(Map.of("bytes", "lots")).put(path).then().statusCode(400);
        Api.bearer(admin).body(Map.of("bytes", 5)).put("/api/v1/admin/tenants/no-such-tenant-q/registry-quota")
                .then().statusCode(404).body("error.code", equalTo("TENANT_NOT_FOUND"));
        owner.api().get("/api/v1/tenants/" + t + "/registry/usage").then().statusCode(200)
                .body("quotaBytes", equalTo(DEFAULT_QUOTA));
        assertEquals(0, Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ? AND action LIKE ?", t,
                "registry.quota%"));
    }

    @Test
    void aTenantCreatedUnderADeletedTenantsNameStartsWithTheDefaultQuota() {
        RegistryUser first = RegistryUser.create("quota-old");
        String name = Api.createTenant(first.user(), "qreuse");
        Api.bearer(platformAdmin()).body(Map.of("bytes", 1234))
                .put("/api/v1/admin/tenants/" + name + "/registry-quota").then().statusCode(200);
        first.user().api().delete("/api/v1/tenants/" + name).then().statusCode(204);

        RegistryUser second = RegistryUser.create("quota-new");
        second.user().api().body(Map.of("name", name)).post("/api/v1/tenants").then().statusCode(201);
        second.api().get("/api/v1/tenants/" + name + "/registry/usage").then().statusCode(200)
                .body("quotaBytes", equalTo(DEFAULT_QUOTA)).body("usedBytes", equalTo(0));
    }

    @Test
    void theFreePlansMonthlyStorageCeilingDeniesNewBytesNamingThePlanLimit() {
        RegistryUser owner = RegistryUser.create("quota-plan");
        String t = Api.createTenant(owner.user(), "qplan");
        RegistryProtocolTest.pushBlob(owner, t + "/app", "before the limit".getBytes());
        Instant monthStart = BillingPeriod.containing(Instant.now()).start();
        usage.record(List.of(new UsageRecord(t, null, "registry:test-" + t, Meter.REGISTRY_STORAGE_GB_HOURS,
                new BigDecimal("720"), monthStart, monthStart.plus(Duration.ofHours(1)))));

        String location = owner.v2().post("/v2/" + t + "/app/blobs/uploads/").then().statusCode(202)
                .extract().header("Location");
        byte[] more = "after the limit".getBytes();
        owner.v2().contentType("application/octet-stream").body(more).put(location + "?digest=" + Digest.sha256(more))
                .then().statusCode(403).body("errors[0].code", equalTo("DENIED"))
                .body("errors[0].message", containsString("registry_storage_gb_hours"))
                .body("errors[0].message", containsString("'free'"));
        // bytes the tenant already stores are not new storage: pushing them into another repository still works
        RegistryProtocolTest.pushBlob(owner, t + "/other", "before the limit".getBytes());

        owner.user().api().body(Map.of("plan", "pro")).put("/api/v1/tenants/" + t + "/plan").then().statusCode(200);
        RegistryProtocolTest.pushBlob(owner, t + "/app", more);
    }
}
