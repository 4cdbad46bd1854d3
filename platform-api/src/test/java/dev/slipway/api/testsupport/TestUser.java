package dev.slipway.api.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh Keycloak user for one test scenario, signed in once (so Slipway knows them) and holding a Keycloak
 * access token. Names are unique per JVM run, so tests never see each other's users or tenants.
 */
public record TestUser(String username, String password, String accessToken) {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    /** Creates the user in Keycloak, gets a token by password grant and signs in to the API with it. */
    public static TestUser create(String hint) {
        String username = uniqueName(hint);
        String password = "pw-" + username;
        KeycloakAdmin.createUser(username, password);
        TestUser user = new TestUser(username, password, KeycloakAdmin.passwordGrant(username, password));
        user.api().get("/api/v1/me").then().statusCode(200);
        return user;
    }

    /** A DNS-label-safe name unique in this JVM run, e.g. {@code acme-k3x9-12}. */
    public static String uniqueName(String hint) {
        return hint + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    /** A JSON request authenticated with the user's Keycloak access token. */
    public RequestSpecification api() {
        return given().auth().oauth2(accessToken).contentType(ContentType.JSON).accept(ContentType.JSON);
    }
}
