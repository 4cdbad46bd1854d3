package dev.slipway.api.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tenancy is a security boundary: who may pull, push, list and search, and what an outsider can learn. */
@QuarkusTest
class RegistryTenancyTest {

    @Test
    void outsidersCannotPullPushListSearchOrLearnOfPrivateRepositories() {
        RegistryUser alice = RegistryUser.create("alice");
        String a = Api.createTenant(alice.user(), "ta");
        RegistryUser bob = RegistryUser.create("bob");
        String b = Api.createTenant(bob.user(), "tb");
        RegistryProtocolTest.pushImage(alice, a + "/secret", "v1", "secret layer".getBytes());
        RegistryProtocolTest.pushImage(bob, b + "/mine", "v1", "bob layer".getBytes());

        // Pull, push and tag listing of an existing private repository look exactly like a missing one.
        for (String path : List.of("/manifests/v1", "/tags/list")) {
            Response existing = bob.v2().get("/v2/" + a + "/secret" + path);
            Response missing = bob.v2().get("/v2/" + a + "/nothing" + path);
            assertEquals(401, existing.statusCode());
            assertEquals(missing.statusCode(), existing.statusCode());
            assertEquals(missing.jsonPath().getString("errors[0].code"), existing.jsonPath().getString("errors[0].code"));
        }
        bob.v2().post("/v2/" + a + "/secret/blobs/uploads/").then().statusCode(401);
        bob.v2().delete("/v2/" + a + "/secret/manifests/v1").then().statusCode(401);
        String bobToken = bob.v2().queryParam("scope", "repository:" + a + "/secret:pull,push")
                .get("/v2/token").then().statusCode(200).extract().path("token");
        given().auth().oauth2(bobToken).get("/v2/" + a + "/secret/manifests/v1").then().statusCode(401);

        bob.v2().get("/v2/_catalog").then().statusCode(200)
                .body("repositories", not(hasItem(a + "/secret")))
                .body("repositories", hasItem(b + "/mine"));
        bob.api().queryParam("q", "secret").get("/api/v1/registry/search").then().statusCode(200)
                .body("name", not(hasItem(a + "/secret")));
        bob.api().get("/api/v1/tenants/" + a + "/repositories").then().statusCode(404)
                .body("error.code", equalTo("TENANT_NOT_FOUND"));
        given().get("/v2/" + a + "/secret/manifests/v1").then().statusCode(401);

        // Made public by the tenant's admin: anyone pulls, nobody outside pushes.
        setVisibility(alice, a + "/secret", "public");
        given().get("/v2/" + a + "/secret/manifests/v1").then().statusCode(200);
        String anonymous = given().queryParam("scope", "repository:" + a + "/secret:pull,push")
                .get("/v2/token").then().statusCode(200).extract().path("token");
        given().auth().oauth2(anonymous).get("/v2/" + a + "/secret/tags/list").then().statusCode(200);
        given().auth().oauth2(anonymous).post("/v2/" + a + "/secret/blobs/uploads/").then().statusCode(401);
        bob.v2().post("/v2/" + a + "/secret/blobs/uploads/").then().statusCode(401);
        bob.api().queryParam("q", "secret").get("/api/v1/registry/search").then().statusCode(200)
                .body("name", hasItem(a + "/secret"));
        given().get("/v2/_catalog").then().statusCode(200).body("repositories", hasItem(a + "/secret"))
                .body("repositories", not(hasItem(b + "/mine")));

        // Made private again: refused at once, though the registry has just served the repository as public.
        setVisibility(alice, a + "/secret", "private");
        given().get("/v2/" + a + "/secret/manifests/v1").then().statusCode(401);
        String afterwards = given().queryParam("scope", "repository:" + a + "/secret:pull")
                .get("/v2/token").then().statusCode(200).extract().path("token");
        given().auth().oauth2(afterwards).get("/v2/" + a + "/secret/tags/list").then().statusCode(401);
        bob.v2().get("/v2/" + a + "/secret/manifests/v1").then().statusCode(401);
        alice.v2().get("/v2/" + a + "/secret/manifests/v1").then().statusCode(200);

        // Pushes and visibility changes are in the tenant's audit log, with who did them.
        alice.api().get("/api/v1/tenants/" + a + "/audit").then().statusCode(200)
                .body("items.action", hasItem("registry.push"))
                .body("items.action", hasItem("registry.visibility"))
                .body("items.find { it.action == 'registry.push' }.actor", equalTo(alice.username()));
    }

    private static void setVisibility(RegistryUser admin, String repository, String visibility) {
        String[] parts = repository.split("/", 2);
        admin.api().body(Map.of("visibility", visibility))
                .put("/api/v1/tenants/" + parts[0] + "/repositories/" + parts[1] + "/visibility").then()
                .statusCode(200).body("visibility", equalTo(visibility));
    }

    @Test
    void rolesAndTokenScopesLimitWhatMembersMayDo() {
        RegistryUser owner = RegistryUser.create("owner");
        String t = Api.createTenant(owner.user(), "roles");
        RegistryProtocolTest.pushImage(owner, t + "/app", "v1", "app layer".getBytes());
        RegistryUser viewer = RegistryUser.create("viewer");
        Api.addMember(owner.user(), t, viewer.user(), "viewer");
        viewer.v2().get("/v2/" + t + "/app/manifests/v1").then().statusCode(200);
        viewer.v2().post("/v2/" + t + "/app/blobs/uploads/").then().statusCode(401);
        viewer.api().body(Map.of("visibility", "public"))
                .put("/api/v1/tenants/" + t + "/repositories/app/visibility").then().statusCode(403);

        RegistryUser dev = RegistryUser.create("dev", List.of("read", "registry:pull"));
        Api.addMember(owner.user(), t, dev.user(), "developer");
        dev.v2().get("/v2/" + t + "/app/manifests/v1").then().statusCode(200);
        dev.v2().post("/v2/" + t + "/app/blobs/uploads/").then().statusCode(401);
        RegistryUser noRegistry = RegistryUser.create("noreg", List.of("read", "write"));
        Api.addMember(owner.user(), t, noRegistry.user(), "developer");
        noRegistry.v2().get("/v2/" + t + "/app/manifests/v1").then().statusCode(401);

        owner.api().get("/api/v1/tenants/" + t + "/repositories/app").then().statusCode(200)
                .body("tags[0].name", equalTo("v1"))
                .body("tags[0].pushedBy", equalTo(owner.username()))
                .body("tags[0].layers.size()", equalTo(2))
                .body("tags[0].mediaType", equalTo("application/vnd.oci.image.manifest.v1+json"));
        owner.api().get("/api/v1/tenants/" + t + "/registry/usage").then().statusCode(200)
                .body("usedBytes", greaterThan(0));
        owner.api().delete("/api/v1/tenants/" + t + "/repositories/app/tags/v1").then().statusCode(204);
        owner.v2().get("/v2/" + t + "/app/manifests/v1").then().statusCode(404);
    }
}
