package dev.slipway.api.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The dashboard owns every browser path that is not an endpoint, a file or a machine-facing prefix. */
@QuarkusTest
class SpaFallbackTest {

    private static String indexHtml() {
        return given().accept("text/html").get("/").then().statusCode(200)
                .body(containsString("<div id=\"app\"")).extract().asString();
    }

    @Test
    void unknownBrowserPathGetsTheDashboard() {
        String body = given().accept("text/html,application/xhtml+xml").get("/tenants/demo/members").then()
                .statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertEquals(indexHtml(), body);
    }

    @Test
    void machinePrefixesAndNonBrowsersAreNotRewritten() {
        given().accept("text/html").get("/api/v1/nothing-here").then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
        given().accept("text/html").get("/q/nothing-here").then().statusCode(404);
        given().accept("application/json").get("/tenants/demo").then().statusCode(404);
    }
}
