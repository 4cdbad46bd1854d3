package dev.slipway.api.identity;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every tenant endpoint, tried by a member of another tenant (404, as if the tenant did not exist) and by each
 * role (403 below the endpoint's minimum, success at it).
 */
@QuarkusTest
class TenantAccessMatrixTest {

    private static Fixture fixture;

    /** One tenant with a member of every role, plus a stranger who owns a tenant of their own. */
    private record Fixture(String tenant, TestUser owner, TestUser admin, TestUser developer, TestUser viewer,
            TestUser stranger) {

        List<TestUser> byRole() {
            return List.of(viewer, developer, admin, owner);
        }
    }

    private static synchronized Fixture fixture() {
        if (fixture == null) {
            TestUser owner = TestUser.create("m-owner");
            TestUser admin = TestUser.create("m-admin");
            TestUser developer = TestUser.create("m-dev");
            TestUser viewer = TestUser.create("m-viewer");
            TestUser stranger = TestUser.create("m-stranger");
            String tenant = Api.createTenant(owner, "matrix");
            Api.addMember(owner, tenant, admin, "admin");
            Api.addMember(owner, tenant, developer, "developer");
            Api.addMember(owner, tenant, viewer, "viewer");
            Api.createTenant(stranger, "elsewhere");
            fixture = new Fixture(tenant, owner, admin, developer, viewer, stranger);
        }
        return fixture;
    }

    /**
     * Tries {@code call} as the stranger (expect 404 TENANT_NOT_FOUND), then as each role from viewer upwards:
     * 403 FORBIDDEN below {@code minRole}; at {@code minRole}, {@code success}. Stops after the first success, so
     * a state-changing call succeeds exactly once.
     */
    private static void assertAccess(Role minRole, int success, Function<TestUser, Response> call) {
        Fixture f = fixture();
        call.apply(f.stranger()).then().statusCode(404)
                .body("error.code", equalTo("TENANT_NOT_FOUND"))
                .body("error.message", not(containsString("exists")));
        for (TestUser user : f.byRole()) {
            Role role = Role.values()[f.byRole().indexOf(user)];
            if (role.atLeast(minRole)) {
                call.apply(user).then().statusCode(success);
                return;
            }
            call.apply(user).then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        }
    }

    @Test
    void getTenant() {
        assertAccess(Role.VIEWER, 200, u -> u.api().get("/api/v1/tenants/" + fixture().tenant()));
    }

    @Test
    void listMembers() {
        assertAccess(Role.VIEWER, 200, u -> u.api().get("/api/v1/tenants/" + fixture().tenant() + "/members"));
    }

    @Test
    void readAudit() {
        assertAccess(Role.ADMIN, 200, u -> u.api().get("/api/v1/tenants/" + fixture().tenant() + "/audit"));
    }

    @Test
    void memberLifecycle() {
        TestUser newcomer = TestUser.create("m-new");
        String members = "/api/v1/tenants/" + fixture().tenant() + "/members";
        assertAccess(Role.ADMIN, 201, u -> u.api().body(Map.of("username", newcomer.username(), "role", "viewer"))
                .post(members));
        assertAccess(Role.ADMIN, 200, u -> u.api().body(Map.of("role", "developer"))
                .put(members + "/" + newcomer.username()));
        assertAccess(Role.ADMIN, 204, u -> u.api().delete(members + "/" + newcomer.username()));
    }

    @Test
    void deleteTenant() {
        assertAccess(Role.OWNER, 409, u -> u.api().body(Map.of("role", "viewer"))
                .put("/api/v1/tenants/" + fixture().tenant() + "/members/" + fixture().owner().username()));
        assertAccess(Role.OWNER, 204, u -> u.api().delete("/api/v1/tenants/" + fixture().tenant()));
        fixture = null;
    }

    @Test
    void strangerCannotTellMissingFromForeignTenants() {
        TestUser stranger = fixture().stranger();
        String foreign = stranger.api().get("/api/v1/tenants/" + fixture().tenant()).then().statusCode(404)
                .extract().path("error.code");
        String missing = stranger.api().get("/api/v1/tenants/" + TestUser.uniqueName("nowhere")).then()
                .statusCode(404).extract().path("error.code");
        org.junit.jupiter.api.Assertions.assertEquals(missing, foreign);
        stranger.api().get("/api/v1/tenants").then().statusCode(200)
                .body("name", not(org.hamcrest.Matchers.hasItem(fixture().tenant())));
    }
}
