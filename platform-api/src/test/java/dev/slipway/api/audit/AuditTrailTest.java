package dev.slipway.api.audit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every change leaves an entry saying who, with which token or session, from where, what and when. */
@QuarkusTest
class AuditTrailTest {

    @Test
    void changesAreRecordedNewestFirstAndPaged() {
        TestUser owner = TestUser.create("auditor");
        TestUser member = TestUser.create("audited");
        String tenant = Api.createTenant(owner, "audit");
        String token = Api.createToken(owner, List.of("read", "write", "admin"), 1);
        String tokenId = Api.bearer(token).get("/api/v1/me").then().extract().path("token.id");
        Api.bearer(token).body(Map.of("username", member.username(), "role", "viewer"))
                .post("/api/v1/tenants/" + tenant + "/members").then().statusCode(201);
        owner.api().body(Map.of("role", "developer")).put("/api/v1/tenants/" + tenant + "/members/"
                + member.username()).then().statusCode(200);
        owner.api().delete("/api/v1/tenants/" + tenant + "/members/" + member.username()).then().statusCode(204);

        String audit = "/api/v1/tenants/" + tenant + "/audit";
        owner.api().get(audit).then().statusCode(200)
                .body("total", equalTo(4))
                .body("items.action", equalTo(List.of("member.remove", "member.role", "member.add", "tenant.create")))
                .body("items[0].actor", equalTo(owner.username()))
                .body("items[0].tokenId", nullValue())
                .body("items[0].sourceIp", notNullValue())
                .body("items[0].at", notNullValue())
                .body("items[1].details.from", equalTo("viewer"))
                .body("items[1].details.to", equalTo("developer"))
                .body("items[2].target", equalTo(member.username()))
                .body("items[2].tokenId", equalTo(tokenId));
        owner.api().queryParam("size", 3).queryParam("page", 1).get(audit).then().statusCode(200)
                .body("items.action", equalTo(List.of("tenant.create")))
                .body("page", equalTo(1)).body("size", equalTo(3)).body("total", equalTo(4));
        owner.api().queryParam("size", 1000).get(audit).then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.containsString("size"));
    }
}
