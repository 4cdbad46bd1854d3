package dev.slipway.api.registry;

import static io.restassured.RestAssured.given;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** A test user with a personal access token for the registry (and the REST API), and optionally a tenant. */
public record RegistryUser(TestUser user, String pat) {

    public static RegistryUser create(String hint, List<String> scopes) {
        TestUser user = TestUser.create(hint);
        return new RegistryUser(user, Api.createToken(user, scopes, 1));
    }

    public static RegistryUser create(String hint) {
        return create(hint, List.of("read", "write", "registry:pull", "registry:push"));
    }

    public String username() {
        return user.username();
    }

    /** A /v2 request with HTTP basic username + PAT, as podman and skopeo may send. */
    public RequestSpecification v2() {
        return given().header("Authorization", basicHeader());
    }

    /** A REST API request with the PAT as bearer. */
    public RequestSpecification api() {
        return Api.bearer(pat);
    }

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username() + ":" + pat).getBytes(StandardCharsets.UTF_8));
    }
}
