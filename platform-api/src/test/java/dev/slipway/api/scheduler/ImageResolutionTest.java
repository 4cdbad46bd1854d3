package dev.slipway.api.scheduler;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestImages;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deploy-time image resolution against the real registry metadata: own, public, foreign and missing images. */
@QuarkusTest
class ImageResolutionTest {

    private static String deployments(String tenant) {
        return "/api/v1/tenants/" + tenant + "/apps/web/deployments";
    }

    private static long releases(String tenant) {
        return Db.count("SELECT count(*) FROM releases r JOIN apps a ON a.id = r.app_id JOIN tenants t"
                + " ON t.id = a.tenant_id WHERE t.name = ?", tenant);
    }

    @Test
    void tagsResolveToDigestsOfOwnAndPublicRepositoriesOnly() {
        TestUser alice = TestUser.create("img-alice");
        TestUser bob = TestUser.create("img-bob");
        String a = Api.createTenant(alice, "img-a");
        String b = Api.createTenant(bob, "img-b");
        alice.api().body(Map.of("name", "web")).post("/api/v1/tenants/" + a + "/apps").then().statusCode(201);
        bob.api().body(Map.of("name", "web")).post("/api/v1/tenants/" + b + "/apps").then().statusCode(201);
        String privateDigest = TestImages.tag(a + "/web", "1", false);
        String publicDigest = TestImages.tag(a + "/shared", "1", true);

        for (String ref : new String[] {a + "/web:1", "localhost:8080/" + a + "/web:1", "127.0.0.1:8080/" + a
                + "/web:1", a + "/web@" + privateDigest}) {
            String release = alice.api().body(Map.of("image", ref)).post(deployments(a)).then().statusCode(202)
                    .extract().path("release");
            alice.api().get("/api/v1/tenants/" + a + "/apps/web/releases/" + release).then()
                    .body("image", equalTo(ref)).body("imageDigest", equalTo(privateDigest));
        }
        bob.api().body(Map.of("image", a + "/shared:1")).post(deployments(b)).then().statusCode(202);
        bob.api().get("/api/v1/tenants/" + b + "/apps/web/releases/v1").then().body("imageDigest",
                equalTo(publicDigest));

        // another tenant's private repository looks exactly like one that does not exist
        String foreign = bob.api().body(Map.of("image", a + "/web:1")).post(deployments(b)).then().statusCode(400)
                .body("error.code", equalTo("IMAGE_NOT_FOUND")).extract().path("error.message");
        String missing = bob.api().body(Map.of("image", a + "/nothing:1")).post(deployments(b)).then()
                .statusCode(400).body("error.code", equalTo("IMAGE_NOT_FOUND")).extract().path("error.message");
        assertEquals(missing.replace("nothing", "web"), foreign);
        alice.api().body(Map.of("image", a + "/web:9")).post(deployments(a)).then().statusCode(400)
                .body("error.code", equalTo("IMAGE_NOT_FOUND")).body("error.message", containsString("no tag '9'"));
        alice.api().body(Map.of("image", a + "/web@sha256:" + "0".repeat(64))).post(deployments(a)).then()
                .statusCode(400).body("error.code", equalTo("IMAGE_NOT_FOUND"))
                .body("error.message", containsString("has no manifest sha256:"));
        alice.api().body(Map.of("image", "docker.io/library/nginx:1")).post(deployments(a)).then().statusCode(400)
                .body("error.code", equalTo("IMAGE_REGISTRY_UNSUPPORTED"))
                .body("error.message", containsString("own registry only"));
        alice.api().body(Map.of("image", "ghcr.io/x/y:1", "replicas", 1000)).post(deployments(a)).then()
                .statusCode(400).body("error.code", equalTo("INVALID_FIELD"));
        assertEquals(4, releases(a));
        assertEquals(1, releases(b));
        alice.api().delete("/api/v1/tenants/" + a + "/apps/web").then().statusCode(204);
        bob.api().delete("/api/v1/tenants/" + b + "/apps/web").then().statusCode(204);
    }
}
