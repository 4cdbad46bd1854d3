package dev.slipway.api.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.KeycloakAdmin;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The unauthenticated surface (health, OpenAPI, ui-config) and the dev seed. */
@QuarkusTest
class PlatformEndpointsTest {

    @Test
    void readinessChecksTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
    }

    @Test
    void openApiDescribesTheApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/tenants/{tenant}/members"));
    }

    @Test
    void uiConfigNeedsNoSignIn() {
        given().get("/api/v1/ui-config").then().statusCode(200)
                .body("oidc.clientId", equalTo("slipway-ui"))
                .body("oidc.authority", endsWith("/realms/slipway"))
                .body("registryHost", equalTo("localhost:8080"))
                .body("appsDomain", equalTo("localhost:8000"));
    }

    @Test
    void devSeedMakesDemoTheOwnerOfTenantDemo() {
        String jwt = KeycloakAdmin.passwordGrant("demo", "demo");
        Api.bearer(jwt).get("/api/v1/tenants").then().statusCode(200)
                .body("find { it.name == 'demo' }.role", equalTo("owner"));
    }

    @Test
    void realmAdminIsPlatformAdmin() {
        Api.bearer(KeycloakAdmin.passwordGrant("admin", "admin")).get("/api/v1/me").then().statusCode(200)
                .body("platformAdmin", equalTo(true));
    }
}
