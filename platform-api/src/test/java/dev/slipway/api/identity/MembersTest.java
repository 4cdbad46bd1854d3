package dev.slipway.api.identity;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Membership rules: last-owner protection, who may grant owner, adding unknown or existing users, leaving. */
@QuarkusTest
class MembersTest {

    private static String members(String tenant) {
        return "/api/v1/tenants/" + tenant + "/members";
    }

    @Test
    void lastOwnerCanBeNeitherDemotedNorRemoved() {
        TestUser owner = TestUser.create("last-owner");
        TestUser second = TestUser.create("second-owner");
        String tenant = Api.createTenant(owner, "lastowner");
        owner.api().body(Map.of("role", "admin")).put(members(tenant) + "/" + owner.username()).then()
                .statusCode(409).body("error.code", equalTo("LAST_OWNER"));
        owner.api().delete(members(tenant) + "/" + owner.username()).then()
                .statusCode(409).body("error.code", equalTo("LAST_OWNER"));

        Api.addMember(owner, tenant, second, "owner");
        owner.api().body(Map.of("role", "admin")).put(members(tenant) + "/" + owner.username()).then()
                .statusCode(200).body("role", equalTo("admin"));
        second.api().delete(members(tenant) + "/" + second.username()).then()
                .statusCode(409).body("error.code", equalTo("LAST_OWNER"));
        second.api().get(members(tenant)).then().statusCode(200)
                .body("find { it.username == '" + owner.username() + "' }.role", equalTo("admin"))
                .body("find { it.username == '" + second.username() + "' }.role", equalTo("owner"));
    }

    @Test
    void onlyOwnersGrantOrTouchTheOwnerRole() {
        TestUser owner = TestUser.create("own");
        TestUser admin = TestUser.create("adm");
        TestUser dev = TestUser.create("dev");
        String tenant = Api.createTenant(owner, "ownerrole");
        Api.addMember(owner, tenant, admin, "admin");
        admin.api().body(Map.of("username", dev.username(), "role", "owner")).post(members(tenant)).then()
                .statusCode(403);
        Api.addMember(admin, tenant, dev, "developer");
        admin.api().body(Map.of("role", "owner")).put(members(tenant) + "/" + dev.username()).then().statusCode(403);
        admin.api().body(Map.of("role", "viewer")).put(members(tenant) + "/" + owner.username()).then()
                .statusCode(403);
        admin.api().delete(members(tenant) + "/" + owner.username()).then().statusCode(403);
        admin.api().body(Map.of("role", "viewer")).put(members(tenant) + "/" + dev.username()).then()
                .statusCode(200).body("role", equalTo("viewer"));
    }

    @Test
    void addingUnknownOrExistingMembersAndBadRoles() {
        TestUser owner = TestUser.create("adder");
        TestUser member = TestUser.create("addee");
        String tenant = Api.createTenant(owner, "adding");
        owner.api().body(Map.of("username", TestUser.uniqueName("ghost"), "role", "viewer")).post(members(tenant))
                .then().statusCode(404).body("error.code", equalTo("USER_NOT_FOUND"));
        owner.api().body(Map.of("username", member.username(), "role", "superuser")).post(members(tenant))
                .then().statusCode(400).body("error.code", equalTo("INVALID_FIELD"))
                .body("error.message", org.hamcrest.Matchers.containsString("role"));
        Api.addMember(owner, tenant, member, "developer");
        owner.api().body(Map.of("username", member.username(), "role", "viewer")).post(members(tenant))
                .then().statusCode(409).body("error.code", equalTo("MEMBER_EXISTS"));
        owner.api().delete(members(tenant) + "/" + TestUser.uniqueName("nobody")).then().statusCode(404)
                .body("error.code", equalTo("MEMBER_NOT_FOUND"));
    }

    @Test
    void aMemberCanLeaveAndThenSeesNothing() {
        TestUser owner = TestUser.create("host");
        TestUser guest = TestUser.create("guest");
        String tenant = Api.createTenant(owner, "leaving");
        Api.addMember(owner, tenant, guest, "viewer");
        guest.api().get("/api/v1/me").then().body("tenants.name", hasItem(tenant));
        guest.api().delete(members(tenant) + "/" + guest.username()).then().statusCode(204);
        guest.api().get("/api/v1/tenants/" + tenant).then().statusCode(404);
        guest.api().get("/api/v1/me").then().body("tenants.name", not(hasItem(tenant)));
    }
}
