package dev.slipway.api.identity;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 2 acceptance path: Keycloak password grant -> create a PAT -> the PAT works on the API. */
@QuarkusTest
class TokenFlowTest {

    @Test
    void passwordGrantThenPatThenMe() {
        TestUser alice = TestUser.create("alice");
        String secret = alice.api()
                .body(Map.of("name", "ci", "scopes", List.of("read", "write"), "expiresInDays", 7))
                .post("/api/v1/tokens")
                .then().statusCode(201)
                .body("token", startsWith("slp_"))
                .body("name", equalTo("ci"))
                .body("scopes", equalTo(List.of("read", "write")))
                .extract().path("token");

        Api.bearer(secret).get("/api/v1/me")
                .then().statusCode(200)
                .body("username", equalTo(alice.username()))
                .body("token.scopes", equalTo(List.of("read", "write")));

        alice.api().get("/api/v1/me").then().statusCode(200).body("token", nullValue());
        alice.api().get("/api/v1/tokens").then().statusCode(200)
                .body("name", hasItem("ci"))
                .body("[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("token")));
    }
}
