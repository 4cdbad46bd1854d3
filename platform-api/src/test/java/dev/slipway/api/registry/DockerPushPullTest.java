package dev.slipway.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real dockerd logs in with a PAT, pushes a three-layer image (chunked uploads without Content-Length, gzip
 * layers, schema 2 manifest), forgets it and pulls it back; anonymous pull works only once the repository is public.
 */
@QuarkusTest
class DockerPushPullTest {

    @TempDir
    Path work;

    @Test
    void dockerLoginPushRmiPull() throws Exception {
        RegistryUser user = RegistryUser.create("docker");
        String tenant = Api.createTenant(user.user(), "dock");
        String registry = "localhost:" + RestAssured.port;
        String ref = registry + "/" + tenant + "/multi:1";
        TestImage image = TestImage.busybox(Files.createDirectories(work.resolve("image")), 2);
        Path archive = dockerArchive(image, ref);

        try (DockerDaemon docker = DockerDaemon.start(Files.createDirectories(work.resolve("dockerd")))) {
            docker.must("load", "-i", archive.toString());
            String imageId = docker.must("image", "inspect", "--format", "{{.Id}}", ref).trim();

            DockerDaemon.Result anonymousPush = docker.docker(List.of("push", ref));
            assertNotEquals(0, anonymousPush.code(), anonymousPush.output());

            DockerDaemon.Result login = docker.docker(List.of("login", registry, "-u", user.username(),
                    "--password-stdin"), user.pat());
            assertEquals(0, login.code(), login.output());
            String pushed = docker.must("push", ref);
            assertTrue(pushed.contains("digest: sha256:"), pushed);

            docker.must("rmi", ref);
            assertNotEquals(0, docker.docker(List.of("image", "inspect", ref)).code());
            docker.must("pull", ref);
            assertEquals(imageId, docker.must("image", "inspect", "--format", "{{.Id}}", ref).trim());

            docker.must("logout", registry);
            docker.must("rmi", ref);
            DockerDaemon.Result privatePull = docker.docker(List.of("pull", ref));
            assertNotEquals(0, privatePull.code(), privatePull.output());
            user.api().body(java.util.Map.of("visibility", "public"))
                    .put("/api/v1/tenants/" + tenant + "/repositories/multi/visibility").then().statusCode(200);
            docker.must("pull", ref);
            assertEquals(imageId, docker.must("image", "inspect", "--format", "{{.Id}}", ref).trim());
        }
    }

    /** The image as `docker save` would write it: manifest.json, the config and one tar per layer. */
    private Path dockerArchive(TestImage image, String ref) throws Exception {
        Path dir = Files.createDirectories(work.resolve("docker-archive"));
        List<String> layers = new ArrayList<>();
        for (TestImage.Blob l : image.layers) {
            Files.write(dir.resolve(l.digest().hex() + ".tar"), l.content());
            layers.add("\"" + l.digest().hex() + ".tar\"");
        }
        Files.write(dir.resolve(image.config.digest().hex() + ".json"), image.config.content());
        Files.writeString(dir.resolve("manifest.json"), "[{\"Config\":\"" + image.config.digest().hex()
                + ".json\",\"RepoTags\":[\"" + ref + "\"],\"Layers\":[" + String.join(",", layers) + "]}]");
        Path archive = work.resolve("docker-archive.tar");
        TestImage.run(List.of("tar", "-C", dir.toString(), "-cf", archive.toString(), "."));
        return archive;
    }
}
