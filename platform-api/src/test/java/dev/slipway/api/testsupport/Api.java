package dev.slipway.api.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/** Set-up steps through the public API, for tests that need a tenant, members or a token to exist. */
public final class Api {

    private Api() {
    }

    /** A JSON request sending {@code Authorization: Bearer <token>} (a Keycloak JWT or an {@code slp_} PAT). */
    public static RequestSpecification bearer(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** Creates a tenant owned by {@code owner} and returns its name (unique per run, starting with the hint). */
    public static String createTenant(TestUser owner, String hint) {
        String name = TestUser.uniqueName(hint);
        owner.api().body(Map.of("name", name)).post("/api/v1/tenants").then().statusCode(201);
        return name;
    }

    /** Adds {@code member} to the tenant with a role ({@code viewer|developer|admin|owner}), as {@code admin}. */
    public static void addMember(TestUser admin, String tenant, TestUser member, String role) {
        admin.api().body(Map.of("username", member.username(), "role", role))
                .post("/api/v1/tenants/" + tenant + "/members").then().statusCode(201);
    }

    /** Creates a personal access token for the user and returns its secret ({@code slp_...}). */
    public static String createToken(TestUser user, List<String> scopes, int expiresInDays) {
        return user.api().body(Map.of("name", "test token", "scopes", scopes, "expiresInDays", expiresInDays))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }
}
