package dev.slipway.api.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;

/** Set-up steps for workers through the public API: join tokens (as the platform admin) and joins. */
public final class Workers {

    private Workers() {
    }

    /** A worker that joined: its id and its own credential ({@code slw_...}). */
    public record Joined(String workerId, String credential) {
    }

    /** An access token of the realm's platform admin ({@code admin}/{@code admin}). */
    public static String platformAdminToken() {
        return KeycloakAdmin.passwordGrant("admin", "admin");
    }

    /** Creates a join token as the platform admin and returns its secret ({@code sjt_...}). */
    public static String joinToken(Integer maxUses) {
        Map<String, Object> body = new HashMap<>();
        body.put("description", "test");
        body.put("expiresInHours", 1);
        if (maxUses != null) {
            body.put("maxUses", maxUses);
        }
        return Api.bearer(platformAdminToken()).body(body).post("/api/v1/admin/join-tokens")
                .then().statusCode(201).extract().path("token");
    }

    /** Joins a worker with a fresh single-use token. */
    public static Joined join(String name) {
        return join(joinToken(1), name);
    }

    public static Joined join(String joinToken, String name) {
        var response = given().contentType(ContentType.JSON)
                .body(Map.of("joinToken", joinToken, "name", name, "cpu", 0, "memoryMb", 0,
                        "engineVersion", "test"))
                .post("/worker/v1/join").then().statusCode(201).extract();
        return new Joined(response.path("workerId"), response.path("credential"));
    }

    /** Deregisters a worker as the platform admin, so no scheduler ever places anything on it again. */
    public static void remove(String workerId) {
        Api.bearer(platformAdminToken()).delete("/api/v1/admin/workers/" + workerId).then().statusCode(204);
    }
}
