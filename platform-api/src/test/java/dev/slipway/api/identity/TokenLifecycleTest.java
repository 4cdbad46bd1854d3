package dev.slipway.api.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Personal access tokens: storage, expiry, revocation, basic auth and the "never exceeds its user" rules. */
@QuarkusTest
class TokenLifecycleTest {

    @Test
    void secretIsStoredOnlyAsItsSha256() {
        TestUser user = TestUser.create("hash");
        String secret = Api.createToken(user, List.of("read"), 1);
        assertEquals(1, Db.count("SELECT count(*) FROM access_tokens WHERE secret_hash = ?",
                TokenService.hash(secret)));
        assertEquals(0, Db.count("SELECT count(*) FROM access_tokens t WHERE t::text LIKE ?",
                "%" + secret.substring(8) + "%"));
        user.api().get("/api/v1/tokens").then().statusCode(200)
                .body("[0]", not(hasKey("token")))
                .body("[0].hint", startsWith("slp_"));
    }

    @Test
    void expiredTokenIsRejected() {
        TestUser user = TestUser.create("expiry");
        String secret = Api.createToken(user, List.of("read"), 1);
        Api.bearer(secret).get("/api/v1/me").then().statusCode(200);
        Db.update("UPDATE access_tokens SET expires_at = now() - interval '1 second' WHERE secret_hash = ?",
                TokenService.hash(secret));
        Api.bearer(secret).get("/api/v1/me").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void revokedTokenIsRejectedAtOnce() {
        TestUser user = TestUser.create("revoke");
        String kept = Api.createToken(user, List.of("read"), 5);
        String victim = Api.createToken(user, List.of("read"), 5);
        String victimId = Api.bearer(victim).get("/api/v1/me").then().statusCode(200).extract().path("token.id");
        user.api().delete("/api/v1/tokens/" + victimId).then().statusCode(204);
        Api.bearer(victim).get("/api/v1/me").then().statusCode(401);
        given().auth().preemptive().basic(user.username(), victim).get("/api/v1/me").then().statusCode(401);
        user.api().get("/api/v1/tokens").then()
                .body("find { it.id == '" + victimId + "' }.active", equalTo(false));
        Api.bearer(kept).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void nobodyRevokesAnotherUsersToken() {
        TestUser owner = TestUser.create("tok-owner");
        TestUser thief = TestUser.create("tok-thief");
        String secret = Api.createToken(owner, List.of("read"), 1);
        String id = Api.bearer(secret).get("/api/v1/me").then().extract().path("token.id");
        thief.api().delete("/api/v1/tokens/" + id).then().statusCode(404).body("error.code", equalTo("TOKEN_NOT_FOUND"));
        Api.bearer(secret).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void tokenWorksAsBasicAuthPasswordOnlyForItsOwnUser() {
        TestUser user = TestUser.create("basic");
        TestUser other = TestUser.create("basic-other");
        String secret = Api.createToken(user, List.of("read"), 1);
        given().auth().preemptive().basic(user.username(), secret).get("/api/v1/me").then().statusCode(200)
                .body("username", equalTo(user.username()));
        given().auth().preemptive().basic(other.username(), secret).get("/api/v1/me").then().statusCode(401);
        given().auth().preemptive().basic(user.username(), user.password()).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void missingOrBogusCredentialsGet401WithTheErrorBody() {
        given().get("/api/v1/me").then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
        Api.bearer("slp_" + UUID.randomUUID()).get("/api/v1/me").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        Api.bearer("not-a-jwt").get("/api/v1/tenants").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void tokenScopesLimitWhatItCanDo() {
        TestUser user = TestUser.create("scoped");
        String readOnly = Api.createToken(user, List.of("read"), 1);
        Api.bearer(readOnly).body(Map.of("name", TestUser.uniqueName("ro"))).post("/api/v1/tenants")
                .then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        Api.bearer(readOnly).body(Map.of("name", "wider", "scopes", List.of("read", "write")))
                .post("/api/v1/tokens").then().statusCode(403);
        Api.bearer(readOnly).body(Map.of("name", "same", "scopes", List.of("read")))
                .post("/api/v1/tokens").then().statusCode(201);
        Api.bearer(readOnly).get("/api/v1/tenants").then().statusCode(200);
    }

    @Test
    void tokenNeverExceedsItsUsersRole() {
        TestUser owner = TestUser.create("role-owner");
        TestUser viewer = TestUser.create("role-viewer");
        TestUser third = TestUser.create("role-third");
        String tenant = Api.createTenant(owner, "roles");
        Api.addMember(owner, tenant, viewer, "viewer");
        String everything = Api.createToken(viewer, List.of("read", "write", "registry:pull", "registry:push",
                "admin"), 1);
        Api.bearer(everything).get("/api/v1/tenants/" + tenant).then().statusCode(200);
        Api.bearer(everything).body(Map.of("username", third.username(), "role", "viewer"))
                .post("/api/v1/tenants/" + tenant + "/members").then().statusCode(403);
        Api.bearer(everything).delete("/api/v1/tenants/" + tenant).then().statusCode(403);
    }
}
