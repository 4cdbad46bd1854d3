package dev.slipway.api.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.registry.storage.Digest;
import dev.slipway.api.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The distribution spec over HTTP: uploads, manifests, tags, referrers, errors, token flow. */
@QuarkusTest
class RegistryProtocolTest {

    private static RegistryUser owner;
    private static String tenant;

    @BeforeEach
    void fixture() {
        if (owner == null) {
            owner = RegistryUser.create("regowner");
            tenant = Api.createTenant(owner.user(), "reg");
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Pushes one blob with POST + PUT (monolithic) and returns its digest. */
    static Digest pushBlob(RegistryUser who, String repo, byte[] content) {
        String location = who.v2().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202)
                .extract().header("Location");
        Digest d = Digest.sha256(content);
        who.v2().contentType("application/octet-stream").body(content)
                .put(location + "?digest=" + d).then().statusCode(201).header("Docker-Content-Digest", d.toString());
        return d;
    }

    static String pushImage(RegistryUser who, String repo, String tag, byte[] layer) {
        Digest l = pushBlob(who, repo, layer);
        byte[] configBytes = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        Digest c = pushBlob(who, repo, configBytes);
        byte[] manifest = TestImage.manifestOf(new TestImage.Blob(c, configBytes, TestImage.CONFIG),
                List.of(new TestImage.Blob(l, layer, TestImage.LAYER)), null);
        return who.v2().contentType("application/vnd.oci.image.manifest.v1+json").body(manifest)
                .put("/v2/" + repo + "/manifests/" + tag).then().statusCode(201)
                .extract().header("Docker-Content-Digest");
    }

    @Test
    void anonymousBaseCheckGetsTheTokenChallengeAndTheTokenWorks() {
        given().get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer realm=\"http://"))
                .header("WWW-Authenticate", containsString("/v2/token\",service=\"slipway\""))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        String repo = tenant + "/tokenflow";
        given().get("/v2/" + repo + "/tags/list").then().statusCode(401)
                .header("WWW-Authenticate", containsString("scope=\"repository:" + repo + ":pull\""));
        String token = owner.v2().queryParam("service", "slipway")
                .queryParam("scope", "repository:" + repo + ":pull,push")
                .get("/v2/token").then().statusCode(200).extract().path("token");
        given().auth().oauth2(token).get("/v2/").then().statusCode(200);
        String location = given().auth().oauth2(token).post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202)
                .extract().header("Location");
        assertTrue(location.startsWith("/v2/" + repo + "/blobs/uploads/"));
        // A token asked for another tenant's repository holds no action there.
        String foreign = owner.v2().queryParam("scope", "repository:nosuchtenant/x:pull,push")
                .get("/v2/token").then().statusCode(200).extract().path("token");
        given().auth().oauth2(foreign).post("/v2/nosuchtenant/x/blobs/uploads/").then().statusCode(401);
        given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                (owner.username() + ":slp_wrong").getBytes())).get("/v2/token").then().statusCode(401);
    }

    @Test
    void monolithicPushThenPullIsByteExactWithRanges() {
        String repo = tenant + "/mono";
        byte[] layer = random(70_000, 1);
        String digest = pushImage(owner, repo, "v1", layer);
        Response m = owner.v2().get("/v2/" + repo + "/manifests/v1");
        m.then().statusCode(200).contentType("application/vnd.oci.image.manifest.v1+json")
                .header("Docker-Content-Digest", digest);
        assertEquals(digest, Digest.sha256(m.asByteArray()).toString());
        owner.v2().head("/v2/" + repo + "/manifests/" + digest).then().statusCode(200)
                .header("Content-Length", String.valueOf(m.asByteArray().length));
        Digest l = Digest.sha256(layer);
        assertArrayEquals(layer, owner.v2().get("/v2/" + repo + "/blobs/" + l).then().statusCode(200)
                .extract().asByteArray());
        byte[] part = owner.v2().header("Range", "bytes=100-199").get("/v2/" + repo + "/blobs/" + l).then()
                .statusCode(206).header("Content-Range", "bytes 100-199/70000").extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(layer, 100, 200), part);
        owner.v2().head("/v2/" + repo + "/blobs/" + l).then().statusCode(200).header("Content-Length", "70000");
    }

    @Test
    void singlePostWithDigestAndSha512() {
        String repo = tenant + "/single";
        byte[] content = random(5000, 2);
        Digest d = Digest.of(Digest.Algorithm.SHA512, content);
        owner.v2().contentType("application/octet-stream").body(content)
                .post("/v2/" + repo + "/blobs/uploads/?digest=" + d).then().statusCode(201)
                .header("Location", "/v2/" + repo + "/blobs/" + d);
        assertArrayEquals(content, owner.v2().get("/v2/" + repo + "/blobs/" + d).asByteArray());
    }

    @Test
    void chunkedUploadRejectsOutOfOrderChunksAndReportsProgress() {
        String repo = tenant + "/chunked";
        byte[] content = random(30_000, 3);
        String location = owner.v2().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202)
                .header("Range", "0-0").extract().header("Location");
        location = owner.v2().contentType("application/octet-stream").header("Content-Range", "0-9999")
                .body(Arrays.copyOfRange(content, 0, 10_000)).patch(location).then().statusCode(202)
                .header("Range", "0-9999").extract().header("Location");
        // Overlapping and gapped chunks are refused with 416 and leave the upload as it was.
        owner.v2().contentType("application/octet-stream").header("Content-Range", "5000-5999")
                .body(new byte[1000]).patch(location).then().statusCode(416).header("Range", "0-9999");
        owner.v2().contentType("application/octet-stream").header("Content-Range", "20000-20999")
                .body(new byte[1000]).patch(location).then().statusCode(416);
        owner.v2().get(location).then().statusCode(204).header("Range", "0-9999");
        owner.v2().contentType("application/octet-stream").header("Content-Range", "10000-29999")
                .body(Arrays.copyOfRange(content, 10_000, 30_000)).patch(location).then().statusCode(202)
                .header("Range", "0-29999");
        Digest d = Digest.sha256(content);
        owner.v2().put(location + "?digest=" + d).then().statusCode(201);
        assertArrayEquals(content, owner.v2().get("/v2/" + repo + "/blobs/" + d).asByteArray());
    }

    @Test
    void interruptedPushResumesFromTheReportedOffset() throws Exception {
        String repo = tenant + "/resume";
        byte[] content = random(2_000_000, 4);
        String location = owner.v2().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202)
                .extract().header("Location");
        // Announce the whole blob, send half, and drop the connection, as a client on a broken network does.
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + owner.basicHeader()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, 1_000_000);
            out.flush();
        }
        long received = -1;
        for (int i = 0; i < 100 && received < 0; i++) {
            String range = owner.v2().get(location).then().statusCode(204).extract().header("Range");
            long end = Long.parseLong(range.substring(range.indexOf('-') + 1));
            // The server may still be writing what arrived; wait until the size stops changing.
            Thread.sleep(50);
            String again = owner.v2().get(location).then().extract().header("Range");
            if (range.equals(again)) {
                received = end == 0 && range.equals("0-0") ? 0 : end + 1;
            }
        }
        assertTrue(received >= 0 && received <= 1_000_000, "received " + received);
        owner.v2().contentType("application/octet-stream")
                .header("Content-Range", received + "-" + (content.length - 1))
                .body(Arrays.copyOfRange(content, (int) received, content.length))
                .patch(location).then().statusCode(202);
        Digest d = Digest.sha256(content);
        owner.v2().put(location + "?digest=" + d).then().statusCode(201);
        assertArrayEquals(content, owner.v2().get("/v2/" + repo + "/blobs/" + d).asByteArray());
    }

    @Test
    void badInputGetsTheSpecsCodeAndStoresNothing() {
        String repo = tenant + "/bad";
        pushImage(owner, repo, "good", random(100, 5));
        // A blob whose bytes do not match its digest.
        Digest claimed = Digest.sha256("other".getBytes());
        owner.v2().contentType("application/octet-stream").body(random(100, 6))
                .post("/v2/" + repo + "/blobs/uploads/?digest=" + claimed).then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        owner.v2().head("/v2/" + repo + "/blobs/" + claimed).then().statusCode(404);
        // Malformed manifest JSON.
        owner.v2().contentType("application/vnd.oci.image.manifest.v1+json").body("{not json")
                .put("/v2/" + repo + "/manifests/broken").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"));
        // A manifest naming a blob the repository does not have.
        Digest missing = Digest.sha256("missing layer".getBytes());
        byte[] config = "{}".getBytes();
        Digest c = pushBlob(owner, repo, config);
        byte[] manifest = TestImage.manifestOf(new TestImage.Blob(c, config, TestImage.CONFIG),
                List.of(new TestImage.Blob(missing, "missing layer".getBytes(), TestImage.LAYER)), null);
        owner.v2().contentType("application/vnd.oci.image.manifest.v1+json").body(manifest)
                .put("/v2/" + repo + "/manifests/dangling").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"));
        // A manifest over the size limit.
        byte[] huge = new byte[4 * 1024 * 1024 + 10];
        Arrays.fill(huge, (byte) ' ');
        owner.v2().contentType("application/vnd.oci.image.manifest.v1+json").body(huge)
                .put("/v2/" + repo + "/manifests/huge").then().statusCode(413)
                .body("errors[0].code", equalTo("SIZE_INVALID"));
        // A manifest pushed by a digest it does not have.
        owner.v2().contentType("application/vnd.oci.image.manifest.v1+json").body(manifest)
                .put("/v2/" + repo + "/manifests/" + missing).then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        owner.v2().get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", equalTo(List.of("good")));
        owner.v2().get("/v2/" + repo + "/manifests/dangling").then().statusCode(404)
                .body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        owner.v2().get("/v2/" + repo + "/blobs/sha256:xyz").then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        owner.v2().get("/v2/" + tenant + "/never-pushed/tags/list").then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
        // An upload finished through another repository is unknown there, and stays open in its own.
        String other = tenant + "/bad-other";
        pushBlob(owner, other, random(10, 8));
        String upload = owner.v2().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202)
                .extract().header("Location");
        String uploadId = upload.substring(upload.lastIndexOf('/') + 1);
        byte[] bytes = random(50, 7);
        owner.v2().contentType("application/octet-stream").body(bytes)
                .put("/v2/" + other + "/blobs/uploads/" + uploadId + "?digest=" + Digest.sha256(bytes))
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
        owner.v2().contentType("application/octet-stream").body(bytes)
                .put(upload + "?digest=" + Digest.sha256(bytes)).then().statusCode(201);
    }

    @Test
    void tagsArePagedWithLinkAndDeletable() {
        String repo = tenant + "/paged";
        byte[] layer = random(50, 7);
        for (String t : List.of("a", "b", "c", "d", "e")) {
            pushImage(owner, repo, t, layer);
        }
        owner.v2().queryParam("n", 2).get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", equalTo(List.of("a", "b")))
                .header("Link", "</v2/" + repo + "/tags/list?n=2&last=b>; rel=\"next\"");
        owner.v2().queryParam("n", 2).queryParam("last", "b").get("/v2/" + repo + "/tags/list").then()
                .body("tags", equalTo(List.of("c", "d")));
        owner.v2().queryParam("n", 2).queryParam("last", "d").get("/v2/" + repo + "/tags/list").then()
                .body("tags", equalTo(List.of("e")));
        owner.v2().delete("/v2/" + repo + "/manifests/e").then().statusCode(202);
        owner.v2().get("/v2/" + repo + "/tags/list").then().body("tags", not(hasItem("e")));
    }

    @Test
    void indexNeedsItsChildrenAndReferrersListSubjects() {
        String repo = tenant + "/multi";
        String child = pushImage(owner, repo, "amd64", random(60, 8));
        int childSize = owner.v2().get("/v2/" + repo + "/manifests/" + child).asByteArray().length;
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + child + "\",\"size\":" + childSize + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
        owner.v2().contentType("application/vnd.oci.image.index.v1+json").body(index)
                .put("/v2/" + repo + "/manifests/latest").then().statusCode(201);
        String missingChild = index.replace(child, Digest.sha256("nope".getBytes()).toString());
        owner.v2().contentType("application/vnd.oci.image.index.v1+json").body(missingChild)
                .put("/v2/" + repo + "/manifests/broken").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"));
        // A signature-like artifact pointing at the child.
        byte[] empty = "{}".getBytes();
        Digest e = pushBlob(owner, repo, empty);
        String subject = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + child
                + "\",\"size\":" + childSize + "}";
        String artifact = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.example.sig\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + e + "\",\"size\":2},\"layers\":[],"
                + "\"subject\":" + subject + ",\"annotations\":{\"org.example\":\"yes\"}}";
        Digest artifactDigest = Digest.sha256(artifact.getBytes(StandardCharsets.UTF_8));
        owner.v2().contentType("application/vnd.oci.image.manifest.v1+json").body(artifact)
                .put("/v2/" + repo + "/manifests/" + artifactDigest).then().statusCode(201)
                .header("OCI-Subject", child);
        owner.v2().get("/v2/" + repo + "/referrers/" + child).then().statusCode(200)
                .contentType("application/vnd.oci.image.index.v1+json")
                .body("manifests[0].digest", equalTo(artifactDigest.toString()))
                .body("manifests[0].artifactType", equalTo("application/vnd.example.sig"))
                .body("manifests[0].annotations.'org.example'", equalTo("yes"));
        owner.v2().queryParam("artifactType", "application/other").get("/v2/" + repo + "/referrers/" + child)
                .then().statusCode(200).header("OCI-Filters-Applied", "artifactType")
                .body("manifests.size()", equalTo(0));
    }

    @Test
    void crossRepositoryMountOnlyFromReadableRepositories() {
        String from = tenant + "/mount-src";
        byte[] layer = random(300, 9);
        pushImage(owner, from, "v1", layer);
        Digest l = Digest.sha256(layer);
        owner.v2().post("/v2/" + tenant + "/mount-dst/blobs/uploads/?mount=" + l + "&from=" + from).then()
                .statusCode(201).header("Location", "/v2/" + tenant + "/mount-dst/blobs/" + l);
        owner.v2().head("/v2/" + tenant + "/mount-dst/blobs/" + l).then().statusCode(200);
        // A stranger asking to mount from that private repository gets an ordinary upload, not the blob.
        RegistryUser stranger = RegistryUser.create("stranger");
        String own = Api.createTenant(stranger.user(), "strange");
        stranger.v2().post("/v2/" + own + "/stolen/blobs/uploads/?mount=" + l + "&from=" + from).then()
                .statusCode(202);
        stranger.v2().head("/v2/" + own + "/stolen/blobs/" + l).then().statusCode(404);
    }
}
