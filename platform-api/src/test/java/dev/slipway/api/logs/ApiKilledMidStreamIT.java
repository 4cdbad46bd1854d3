package dev.slipway.api.logs;

import static dev.slipway.api.logs.LogsEndToEndTest.assertEveryLineOnceInOrder;
import static dev.slipway.api.logs.LogsEndToEndTest.await;
import static dev.slipway.api.logs.LogsEndToEndTest.stored;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.registry.RegistryUser;
import dev.slipway.api.registry.TestImage;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.ApiProcess;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.EngineWorker;
import dev.slipway.api.testsupport.Workers;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's acceptance with a real API process: a container on a real engine prints 100,000 numbered lines, the
 * API is killed with SIGKILL while they stream in and started again, and the logs API still returns each line
 * exactly once, in order. What the dead API had received but not acknowledged, the worker sends again; what it
 * had stored twice over it drops by (instance, sequence).
 */
class ApiKilledMidStreamIT {
    private static final int TOTAL = 100_000;

    @Test
    void hundredThousandLinesSurviveAKilledApi() throws Exception {
        try (ApiProcess api = ApiProcess.start()) {
            RestAssured.baseURI = "http://127.0.0.1";
            RestAssured.port = api.port();
            RegistryUser owner = RegistryUser.create("apikill");
            String tenant = Api.createTenant(owner.user(), "apikill");
            TestImage.busybox(Files.createTempDirectory("api-kill-image"), 0).push(owner, tenant + "/printer", "1");
            try (EngineWorker engine = EngineWorker.start(api.url(), Workers.joinToken(1), "api-kill")) {
                String workerId = engine.workerId();
                await("the engine is ready", () -> Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid"
                        + " AND state = 'ready' AND connected_to IS NOT NULL", workerId) == 1, engine);
                // deployed the way a user does, so the restarted API's scheduler owns the instance like any other;
                // a pause after every 1,000 lines keeps the stream going for a few seconds however fast shipping
                // is, so the kill below lands mid-stream
                owner.api().body(Map.of("name", "printer")).post("/api/v1/tenants/" + tenant + "/apps")
                        .then().statusCode(201);
                owner.api().body(Map.of("image", tenant + "/printer:1", "replicas", 1,
                        "resources", Map.of("cpu", 0.5, "memoryMb", 64, "pids", 64),
                        "command", List.of("/bin/sh", "-c", "i=0; while [ $i -lt " + TOTAL + " ]; do"
                                + " echo \"line $i\"; i=$((i+1)); [ $((i % 1000)) -eq 0 ] && /bin/busybox usleep 50000;"
                                + " done; exec /bin/busybox sleep 3600")))
                        .post("/api/v1/tenants/" + tenant + "/apps/printer/deployments").then().statusCode(202);
                await("the instance is placed", () -> Db.count("SELECT count(*) FROM instances i JOIN apps a"
                        + " ON a.id = i.app_id JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ?", tenant) == 1, engine);
                UUID instance = Db.value(UUID.class, "SELECT i.id FROM instances i JOIN apps a ON a.id = i.app_id"
                        + " JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ?", tenant);
                await("lines arrive", () -> stored(instance) >= 5_000, engine);
                api.kill9();
                long atKill = stored(instance);
                assertTrue(atKill < TOTAL, "the API was killed after every line was stored: nothing was tested");
                api.restart();
                await("all lines are stored after the API's restart", () -> stored(instance) >= TOTAL, engine);
                System.out.println("api kill: " + atKill + " lines were stored when the API was killed");

                String body = owner.api().get("/api/v1/tenants/" + tenant + "/apps/printer/logs?tail=all").then()
                        .statusCode(200).extract().asString();
                assertEveryLineOnceInOrder(body, TOTAL, instance);
            }
        } finally {
            RestAssured.reset();
        }
    }
}
