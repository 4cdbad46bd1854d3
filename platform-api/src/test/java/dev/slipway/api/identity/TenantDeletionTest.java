package dev.slipway.api.identity;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Deleting tenants: only when every {@link TenantDeletionGuard} agrees, and then completely. */
@QuarkusTest
class TenantDeletionTest {

    @Test
    void aGuardCanKeepATenantAlive() {
        TestUser owner = TestUser.create("keeper");
        String tenant = Api.createTenant(owner, KeepTenantsForTests.PREFIX.replace("-", ""));
        owner.api().delete("/api/v1/tenants/" + tenant).then().statusCode(409)
                .body("error.code", equalTo("TENANT_NOT_EMPTY"))
                .body("error.message", equalTo(KeepTenantsForTests.REASON));
        owner.api().get("/api/v1/tenants/" + tenant).then().statusCode(200);
    }

    @Test
    void anEmptyTenantGoesWithItsMembershipsButKeepsItsAudit() {
        TestUser owner = TestUser.create("deleter");
        TestUser member = TestUser.create("bystander");
        String tenant = Api.createTenant(owner, "doomed");
        Api.addMember(owner, tenant, member, "admin");
        owner.api().delete("/api/v1/tenants/" + tenant).then().statusCode(204);
        owner.api().get("/api/v1/tenants/" + tenant).then().statusCode(404);
        member.api().get("/api/v1/tenants/" + tenant).then().statusCode(404);
        assertEquals(0, Db.count("SELECT count(*) FROM tenants WHERE name = ?", tenant));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ? AND action = ?", tenant,
                "tenant.delete"));
        Api.createTenant(owner, "reborn");
    }
}
