package dev.slipway.api.registry;

import static org.hamcrest.Matchers.equalTo;

import dev.slipway.api.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Repositories are named after their tenant: deleting a tenant that still owns some would hand them to whoever
 * takes the name next, so the registry vetoes it.
 */
@QuarkusTest
class TenantWithRepositoriesTest {

    @Test
    void aTenantThatOwnsRepositoriesCannotBeDeleted() {
        RegistryUser owner = RegistryUser.create("repo-keeper");
        String tenant = Api.createTenant(owner.user(), "withrepo");
        RegistryProtocolTest.pushImage(owner, tenant + "/app", "v1", "kept layer".getBytes());
        owner.user().api().delete("/api/v1/tenants/" + tenant).then().statusCode(409)
                .body("error.code", equalTo("TENANT_NOT_EMPTY"))
                .body("error.message", equalTo("tenant still has 1 registry repositories"));
        owner.v2().get("/v2/" + tenant + "/app/manifests/v1").then().statusCode(200);
    }
}
