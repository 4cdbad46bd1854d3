package dev.slipway.api.error;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad request bodies get a 400/411/413 with a stable code, and nothing is written. */
@QuarkusTest
class BadInputTest {

    private static TestUser user;

    private static synchronized TestUser user() {
        if (user == null) {
            user = TestUser.create("bad-input");
        }
        return user;
    }

    private static long tenantsNamed(String name) {
        return Db.count("SELECT count(*) FROM tenants WHERE name = ?", name);
    }

    private static long tenantsAndTokensOfUser() {
        return Db.count("SELECT (SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id"
                + " WHERE u.username = ?) + (SELECT count(*) FROM access_tokens t JOIN users u ON u.id = t.user_id"
                + " WHERE u.username = ?)", user().username(), user().username());
    }

    @Test
    void malformedJsonIs400AndWritesNothing() {
        long before = tenantsAndTokensOfUser();
        user().api().body("{\"name\": \"broken-json\"").post("/api/v1/tenants").then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        user().api().body("{\"name\": \"ok\", \"scopes\": [\"read\",]}").post("/api/v1/tokens").then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, tenantsNamed("broken-json"));
        assertEquals(before, tenantsAndTokensOfUser());
    }

    @Test
    void unknownFieldIs400NamingTheField() {
        String name = TestUser.uniqueName("unknown");
        user().api().body(Map.of("name", name, "plan", "gold")).post("/api/v1/tenants").then().statusCode(400)
                .body("error.code", equalTo("UNKNOWN_FIELD"))
                .body("error.message", containsString("plan"));
        assertEquals(0, tenantsNamed(name));
    }

    @Test
    void missingBodyIs400() {
        user().api().post("/api/v1/tenants").then().statusCode(400).body("error.code", equalTo("MISSING_BODY"));
    }

    @Test
    void invalidTenantNamesAre400NamingTheField() {
        for (String name : List.of("a", "Upper", "-lead", "trail-", "under_score", "dot.ted", "späce",
                "x".repeat(41), " padded ")) {
            user().api().body(Map.of("name", name)).post("/api/v1/tenants").then().statusCode(400)
                    .body("error.code", equalTo("INVALID_FIELD"))
                    .body("error.message", containsString("name"));
            assertEquals(0, tenantsNamed(name), name);
        }
        user().api().body(Map.of("name", Map.of("nested", 1))).post("/api/v1/tenants").then().statusCode(400)
                .body("error.code", equalTo("INVALID_FIELD")).body("error.message", containsString("name"));
        String longest = "a" + "-".repeat(38) + "z";
        user().api().body(Map.of("name", longest)).post("/api/v1/tenants").then().statusCode(201);
        user().api().delete("/api/v1/tenants/" + longest).then().statusCode(204);
    }

    @Test
    void invalidTokenRequestsAre400NamingTheField() {
        long before = tenantsAndTokensOfUser();
        user().api().body(Map.of("name", "t", "scopes", List.of("root"))).post("/api/v1/tokens").then()
                .statusCode(400).body("error.message", containsString("scopes"));
        user().api().body(Map.of("name", "t", "scopes", List.of())).post("/api/v1/tokens").then()
                .statusCode(400).body("error.message", containsString("scopes"));
        user().api().body(Map.of("name", "t", "scopes", List.of("read"), "expiresInDays", 0)).post("/api/v1/tokens")
                .then().statusCode(400).body("error.message", containsString("expiresInDays"));
        user().api().body(Map.of("name", "t", "scopes", List.of("read"), "expiresInDays", "soon"))
                .post("/api/v1/tokens").then().statusCode(400).body("error.code", equalTo("INVALID_FIELD"))
                .body("error.message", containsString("expiresInDays"));
        user().api().body(Map.of("scopes", List.of("read"))).post("/api/v1/tokens").then()
                .statusCode(400).body("error.message", containsString("name"));
        assertEquals(before, tenantsAndTokensOfUser());
    }

    @Test
    void oversizedBodyIs413AndWritesNothing() {
        String name = TestUser.uniqueName("huge");
        String body = "{\"name\":\"" + name + "\",\"padding\":\"" + "x".repeat(1_100_000) + "\"}";
        user().api().body(body).post("/api/v1/tenants").then().statusCode(413)
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"));
        assertEquals(0, tenantsNamed(name));
    }

    @Test
    void bodyWithoutLengthIs411() throws Exception {
        String name = TestUser.uniqueName("chunked");
        byte[] json = ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        // An input-stream body has no known length, so an HTTP/1.1 client sends it chunked.
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/api/v1/tenants"))
                .header("Authorization", "Bearer " + user().accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(411, response.statusCode(), response.body());
        assertTrue(response.body().contains("LENGTH_REQUIRED"), response.body());
        assertEquals(0, tenantsNamed(name));
    }

    @Test
    void unknownApiPathIsJson404() {
        user().api().get("/api/v1/no-such-thing").then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
    }
}
