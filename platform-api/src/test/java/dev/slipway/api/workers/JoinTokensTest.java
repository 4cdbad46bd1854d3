package dev.slipway.api.workers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.api.testsupport.Workers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Join tokens: admin-only, validated, shown once, single use when asked, expiring and revocable; joins. */
@QuarkusTest
class JoinTokensTest {

    private static final String TOKENS = "/api/v1/admin/join-tokens";

    private static Response join(String token, String name) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("joinToken", token, "name", name, "cpu", 2, "memoryMb", 2048)).post("/worker/v1/join");
    }

    private static String tokenId(String secret) {
        try (var c = dev.slipway.api.testsupport.PlatformTestResources.database().getConnection();
                var s = c.prepareStatement("SELECT id FROM join_tokens WHERE token_hash = ?")) {
            s.setString(1, Secrets.sha256(secret));
            try (var rows = s.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void adminCreatesATokenShownOnceAndAWorkerJoinsWithIt() {
        String admin = Workers.platformAdminToken();
        var created = Api.bearer(admin).body(Map.of("description", "rack 2", "expiresInHours", 2, "maxUses", 3))
                .post(TOKENS).then().statusCode(201)
                .body("token", startsWith("sjt_"))
                .body("description", equalTo("rack 2"))
                .body("maxUses", equalTo(3))
                .extract();
        String secret = created.path("token");
        String id = created.path("id");
        assertEquals(4 + 43, secret.length(), "sjt_ + 32 bytes in unpadded base64url");
        // Only the hash is stored, and listing never shows the secret again.
        assertEquals(0, Db.count("SELECT count(*) FROM join_tokens WHERE token_hash = ?", secret));
        assertEquals(1, Db.count("SELECT count(*) FROM join_tokens WHERE token_hash = ?", Secrets.sha256(secret)));
        Api.bearer(admin).get(TOKENS).then().statusCode(200)
                .body("id", hasItem(id))
                .body("token", everyItem(nullValue()))
                .body("find { it.id == '" + id + "' }.uses", equalTo(0))
                .body("find { it.id == '" + id + "' }.active", equalTo(true));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE action = 'join-token.create' AND target = ?",
                id));

        var joined = join(secret, "rack-2-a").statusCode();
        assertEquals(201, joined);
        var second = join(secret, "rack-2-b");
        assertEquals(201, second.statusCode());
        String credential = second.path("credential");
        String workerId = second.path("workerId");
        assertEquals(true, credential.startsWith("slw_"));
        assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND credential_hash = ?"
                + " AND name = 'rack-2-b' AND cpu = 2 AND memory_mb = 2048 AND join_token_id = ?::uuid", workerId,
                Secrets.sha256(credential), id));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE action = 'worker.join' AND target = ?",
                workerId));
        Api.bearer(admin).get(TOKENS).then().body("find { it.id == '" + id + "' }.uses", equalTo(2));
        Api.bearer(admin).get("/api/v1/admin/workers").then().statusCode(200)
                .body("find { it.id == '" + workerId + "' }.name", equalTo("rack-2-b"))
                .body("find { it.id == '" + workerId + "' }.state", equalTo("lost"))
                .body("find { it.id == '" + workerId + "' }.instances", equalTo(0));
    }

    @Test
    void concurrentJoinsOnASingleUseTokenHaveExactlyOneWinner() throws Exception {
        String secret = Workers.joinToken(1);
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String name = "racer-" + i;
            results.add(pool.submit(() -> {
                start.await();
                return join(secret, name).statusCode();
            }));
        }
        start.countDown();
        int wins = 0;
        int refused = 0;
        for (Future<Integer> f : results) {
            int status = f.get();
            if (status == 201) {
                wins++;
            } else if (status == 401) {
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(1, wins, "exactly one join may use a maxUses=1 token");
        assertEquals(racers - 1, refused);
        String id = tokenId(secret);
        assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE join_token_id = ?::uuid", id));
        assertEquals(1, Db.count("SELECT uses FROM join_tokens WHERE id = ?::uuid", id));
    }

    @Test
    void expiredRevokedUnknownAndUsedUpTokensAreRefusedAndWriteNothing() {
        long workers = Db.count("SELECT count(*) FROM workers");
        String expired = Workers.joinToken(null);
        Db.update("UPDATE join_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ?",
                Secrets.sha256(expired));
        join(expired, "late").then().statusCode(401).body("error.code", equalTo("JOIN_TOKEN_INVALID"))
                .body("error.message", containsString("POST /api/v1/admin/join-tokens"));

        String revoked = Workers.joinToken(null);
        String admin = Workers.platformAdminToken();
        Api.bearer(admin).delete(TOKENS + "/" + tokenId(revoked)).then().statusCode(204);
        Api.bearer(admin).get(TOKENS).then().body("find { it.id == '" + tokenId(revoked) + "' }.active",
                equalTo(false));
        join(revoked, "revoked").then().statusCode(401).body("error.code", equalTo("JOIN_TOKEN_INVALID"));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE action = 'join-token.revoke'"
                + " AND target = ?", tokenId(revoked)));

        join("sjt_" + "A".repeat(43), "unknown").then().statusCode(401).body("error.code",
                equalTo("JOIN_TOKEN_INVALID"));
        join("slp_not-a-join-token", "wrong-kind").then().statusCode(401);

        String single = Workers.joinToken(1);
        join(single, "first").then().statusCode(201);
        join(single, "second").then().statusCode(401).body("error.code", equalTo("JOIN_TOKEN_INVALID"));
        assertEquals(workers + 1, Db.count("SELECT count(*) FROM workers"));
        Api.bearer(admin).delete(TOKENS + "/" + UUID.randomUUID()).then().statusCode(404)
                .body("error.code", equalTo("JOIN_TOKEN_NOT_FOUND"));
        Api.bearer(admin).delete(TOKENS + "/not-a-uuid").then().statusCode(404);
    }

    @Test
    void badRequestsAreNamedAndConsumeNothing() {
        String admin = Workers.platformAdminToken();
        for (int hours : new int[] {0, 721, -5}) {
            Api.bearer(admin).body(Map.of("expiresInHours", hours)).post(TOKENS).then().statusCode(400)
                    .body("error.code", equalTo("INVALID_FIELD"))
                    .body("error.message", startsWith("expiresInHours"));
        }
        Api.bearer(admin).body(Map.of("maxUses", 0)).post(TOKENS).then().statusCode(400)
                .body("error.message", startsWith("maxUses"));
        Api.bearer(admin).body(Map.of("description", "x".repeat(201))).post(TOKENS).then().statusCode(400)
                .body("error.message", startsWith("description"));
        Api.bearer(admin).body(Map.of("expiresInHours", "soon")).post(TOKENS).then().statusCode(400);
        Api.bearer(admin).body(Map.of("ttl", 3)).post(TOKENS).then().statusCode(400)
                .body("error.code", equalTo("UNKNOWN_FIELD"));
        // Defaults: 24 h, unlimited uses.
        Api.bearer(admin).body(Map.of()).post(TOKENS).then().statusCode(201).body("maxUses", nullValue());

        String secret = Workers.joinToken(1);
        Map<String, Object> noName = new HashMap<>(Map.of("joinToken", secret, "cpu", 1));
        given().contentType(ContentType.JSON).body(noName).post("/worker/v1/join").then().statusCode(400)
                .body("error.code", equalTo("INVALID_FIELD")).body("error.message", startsWith("name"));
        given().contentType(ContentType.JSON).body(Map.of("joinToken", secret, "name", "n", "cpu", -1))
                .post("/worker/v1/join").then().statusCode(400).body("error.message", startsWith("cpu"));
        given().contentType(ContentType.JSON).body(Map.of("joinToken", secret, "name", "n", "memoryMb", -1))
                .post("/worker/v1/join").then().statusCode(400).body("error.message", startsWith("memoryMb"));
        given().contentType(ContentType.JSON).body("{").post("/worker/v1/join").then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        given().contentType(ContentType.JSON).body(Map.of("joinToken", secret, "name", "x".repeat(20_000)))
                .post("/worker/v1/join").then().statusCode(413).body("error.code", equalTo("PAYLOAD_TOO_LARGE"));
        assertEquals(0, Db.count("SELECT uses FROM join_tokens WHERE token_hash = ?", Secrets.sha256(secret)));
        // Unknown fields are ignored (a newer engine may send more); the token is still unused, so this joins.
        given().contentType(ContentType.JSON).body(Map.of("joinToken", secret, "name", "n", "gpus", 2))
                .post("/worker/v1/join").then().statusCode(201);
    }

    @Test
    void onlyPlatformAdminsManageJoinTokensAndWorkers() {
        TestUser user = TestUser.create("nonadmin");
        String tenant = Api.createTenant(user, "own");
        user.api().body(Map.of()).post(TOKENS).then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        user.api().get(TOKENS).then().statusCode(403);
        String someToken = tokenId(Workers.joinToken(null));
        user.api().delete(TOKENS + "/" + someToken).then().statusCode(403);
        user.api().get("/api/v1/admin/workers").then().statusCode(403);
        Workers.Joined worker = Workers.join("victim");
        user.api().delete("/api/v1/admin/workers/" + worker.workerId()).then().statusCode(403);
        // The owner's PAT with every scope is still not a platform admin.
        String pat = Api.createToken(user, List.of("read", "write", "admin"), 1);
        Api.bearer(pat).get(TOKENS).then().statusCode(403);
        given().get(TOKENS).then().statusCode(401);
        assertEquals(1, Db.count("SELECT count(*) FROM join_tokens WHERE id = ?::uuid AND revoked_at IS NULL",
                someToken));
        assertEquals(1, Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid AND state <> 'removed'",
                worker.workerId()));
        Api.bearer(Workers.platformAdminToken()).get("/api/v1/admin/workers").then().statusCode(200)
                .body("id", hasItem(worker.workerId())).body("name", not(hasItem(tenant)));
    }
}
