package dev.slipway.api.scheduler;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.router.AppRouter;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.EngineWorker;
import dev.slipway.api.testsupport.TestImages;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.api.testsupport.Workers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's acceptance, end to end with nothing faked: real engines joined as workers ({@link EngineWorker}), images
 * built from busybox and pushed with skopeo, requests with curl through the router, limits read from the kernel's
 * cgroup files. One scenario, because every step builds on the running app of the previous one.
 */
@QuarkusTest
class DeployEndToEndTest {

    private static final Duration SLOW = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Inject
    AppRouter router;


    @Test
    void deployServeRestartRollOutRollBackSpreadAndIsolate() throws Exception {
        // Rows other test classes of this JVM left behind (apps wanting instances of images nobody can pull, worker
        // rows without an engine) must not take the engines' capacity: this test owns the cluster from here on.
        Db.update("UPDATE apps SET desired_replicas = 0");
        Db.update("UPDATE workers SET state = 'removed' WHERE state IN ('ready', 'draining')");
        String api = "http://127.0.0.1:" + RestAssured.port;
        String joinToken = Workers.joinToken(null);
        TestUser owner = TestUser.create("e2e");
        String tenant = Api.createTenant(owner, "e2e");
        String pat = Api.createToken(owner, List.of("read", "write", "registry:pull", "registry:push"), 1);
        String registry = "127.0.0.1:" + RestAssured.port;
        TestImages.push(TestImages.httpd(dir("v1"), "v1"), registry, tenant + "/web:1", owner.username(), pat);
        TestImages.push(TestImages.httpd(dir("v2"), "v2"), registry, tenant + "/web:2", owner.username(), pat);
        TestImages.push(TestImages.crashing(dir("v3")), registry, tenant + "/web:3", owner.username(), pat);
        String app = "/api/v1/tenants/" + tenant + "/apps/web";
        String host = "web." + tenant + ".localhost";

        EngineWorker one = EngineWorker.start(api, joinToken, "e2e-one");
        boolean oneClosed = false;
        try {
            awaitReady(one);
            owner.api().body(Map.of("name", "web")).post("/api/v1/tenants/" + tenant + "/apps").then().statusCode(201);
            owner.api().body(deployment(tenant + "/web:1")).post(app + "/deployments").then().statusCode(202);
            await("v1 running", SLOW, () -> "running".equals(status(owner, app)));
            assertTrue(curl(host).body().contains(TestImages.PAGE + "v1"), "the page through the router");

            // the limits are in the worker's cgroups
            for (String container : containers(tenant)) {
                assertEquals("67108864", cgroupFile("memory", container, "memory.limit_in_bytes"));
                assertEquals("50000", cgroupFile("cpu", container, "cpu.cfs_quota_us"));
                assertEquals("100000", cgroupFile("cpu", container, "cpu.cfs_period_us"));
            }

            // kill the process of one instance: its worker restarts it and counts the restart
            String victim = containers(tenant).getFirst();
            UUID victimId = Db.value(UUID.class, "SELECT id FROM instances WHERE container_id = ?", victim);
            int restartsBefore = restarts(victimId);
            killInit(victim);
            await("restarted", SLOW, () -> restarts(victimId) > restartsBefore && healthyOf(victimId));
            owner.api().get(app).then().body("instances.find { it.id == '" + victimId + "' }.restarts",
                    equalTo(restartsBefore + 1));

            // v2 rolls out while a client keeps asking: no request fails
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            List<String> failures = new ArrayList<>();
            Thread client = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    Reply r = curlQuietly(host);
                    if (r.status() == 200) {
                        ok.incrementAndGet();
                    } else {
                        synchronized (failures) {
                            failures.add(r.status() + " " + r.body());
                        }
                    }
                }
            });
            try {
                owner.api().body(deployment(tenant + "/web:2")).post(app + "/deployments").then().statusCode(202);
                await("v2 running", SLOW, () -> "running".equals(releaseStatus(owner, app, "v2"))
                        && curlQuietly(host).body().contains("v2"));
                // broken v3: fails, the app is rolled back to v2, which keeps serving all along
                owner.api().body(deployment(tenant + "/web:3")).post(app + "/deployments").then().statusCode(202);
                await("v3 failed", SLOW, () -> "failed".equals(releaseStatus(owner, app, "v3")));
                owner.api().get(app).then().body("currentRelease", equalTo("v2")).body("status", equalTo("running"));
                await("v3 stopped", SLOW, () -> Db.count("SELECT count(*) FROM instances i JOIN releases r"
                        + " ON r.id = i.release_id WHERE r.version = 3 AND i.app_id = ?", appId(tenant)) == 0);
            } finally {
                running.set(false);
                client.join();
            }
            assertEquals(List.of(), failures, "failed requests during rollout and rollback (" + ok.get() + " ok)");
            assertTrue(ok.get() > 10, "the client kept asking: " + ok.get());
            assertTrue(curl(host).body().contains(TestImages.PAGE + "v2"));

            // a second worker: replicas spread over both, and when one stops its instances move to the other
            try (EngineWorker two = EngineWorker.start(api, joinToken, "e2e-two")) {
                awaitReady(two);
                owner.api().post(app + "/restart").then().statusCode(202);
                await("spread", SLOW, () -> workersOf(tenant).size() == 2 && "running".equals(status(owner, app))
                        && Db.count("SELECT count(*) FROM instances WHERE app_id = ? AND desired_state = 'stopped'",
                                appId(tenant)) == 0);
                // stop one worker (engine and its containers): it goes silent, is marked lost, and its instances
                // start on the other
                one.close();
                oneClosed = true;
                long killedAt = System.nanoTime();
                await("moved to the survivor", Duration.ofSeconds(60), () -> healthyOn(tenant, two.workerId()) == 2);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt);
                assertTrue(seconds <= 30, "instances running on the other worker within 30 s: " + seconds + " s");
                assertTrue(curl(host).body().contains("v2"));

                // another tenant's member: cannot see, deploy, scale; its own host name reaches nothing of ours
                TestUser stranger = TestUser.create("e2e-stranger");
                Api.createTenant(stranger, "e2e-other");
                stranger.api().get(app).then().statusCode(404);
                stranger.api().body(deployment(tenant + "/web:1")).post(app + "/deployments").then().statusCode(404);
                stranger.api().body(Map.of("replicas", 5)).post(app + "/scale").then().statusCode(404);
                owner.api().get(app).then().body("desiredReplicas", equalTo(2));
                owner.api().delete(app).then().statusCode(204);
                await("app gone from the router", SLOW, () -> curlQuietly(host).status() == 404);
            }
        } finally {
            if (!oneClosed) {
                one.close();
            }
        }
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(work.resolve(name));
    }

    private static Map<String, Object> deployment(String image) {
        return Map.of("image", image, "replicas", 2, "resources", Map.of("cpu", 0.5, "memoryMb", 64, "pids", 64),
                "healthCheck", Map.of("path", "/", "intervalSeconds", 1, "timeoutSeconds", 1));
    }

    private static void awaitReady(EngineWorker worker) {
        await("worker ready", SLOW, () -> Db.count("SELECT count(*) FROM workers WHERE id = ?::uuid"
                + " AND state = 'ready'", worker.workerId()) == 1);
    }

    private static String status(TestUser owner, String app) {
        return owner.api().get(app).then().extract().path("status");
    }

    private static String releaseStatus(TestUser owner, String app, String release) {
        return owner.api().get(app + "/releases/" + release).then().extract().path("status");
    }

    private static UUID appId(String tenant) {
        return Db.value(UUID.class, "SELECT a.id FROM apps a JOIN tenants t ON t.id = a.tenant_id WHERE t.name = ?",
                tenant);
    }

    private static List<String> containers(String tenant) {
        List<String> ids = new ArrayList<>();
        UUID app = appId(tenant);
        for (int i = 0; i < 10; i++) {
            String id = Db.value(String.class, "SELECT container_id FROM instances WHERE app_id = ?"
                    + " AND desired_state = 'running' AND container_id IS NOT NULL ORDER BY id OFFSET " + i, app);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        return ids;
    }

    private static Set<UUID> workersOf(String tenant) {
        Set<UUID> workers = new java.util.HashSet<>();
        UUID app = appId(tenant);
        for (int i = 0; i < 10; i++) {
            UUID w = Db.value(UUID.class, "SELECT worker_id FROM instances WHERE app_id = ? AND desired_state ="
                    + " 'running' AND healthy ORDER BY id OFFSET " + i, app);
            if (w == null) {
                break;
            }
            workers.add(w);
        }
        return workers;
    }

    private static long healthyOn(String tenant, String workerId) {
        return Db.count("SELECT count(*) FROM instances WHERE app_id = ? AND worker_id = ?::uuid AND healthy"
                + " AND desired_state = 'running'", appId(tenant), workerId);
    }

    private static int restarts(UUID instance) {
        return Db.value(Integer.class, "SELECT restarts FROM instances WHERE id = ?", instance);
    }

    private static boolean healthyOf(UUID instance) {
        return Boolean.TRUE.equals(Db.value(Boolean.class, "SELECT healthy FROM instances WHERE id = ?", instance));
    }

    /** A limit file of the container's cgroup (v1 hierarchy {@code <controller>/slipway/<container>}). */
    private static String cgroupFile(String controller, String container, String file) throws IOException {
        Path parent = Path.of("/sys/fs/cgroup", controller, "slipway");
        try (Stream<Path> dirs = Files.list(parent)) {
            Path dir = dirs.filter(d -> d.getFileName().toString().startsWith(container)).findFirst()
                    .orElseThrow(() -> new AssertionError("no cgroup for " + container + " under " + parent));
            return Files.readString(dir.resolve(file)).strip();
        }
    }

    /** SIGKILL to the container's processes, found through its cgroup (as an operator would). */
    private static void killInit(String container) throws IOException, InterruptedException {
        Path parent = Path.of("/sys/fs/cgroup", "pids", "slipway");
        Path dir;
        try (Stream<Path> dirs = Files.list(parent)) {
            dir = dirs.filter(d -> d.getFileName().toString().startsWith(container)).findFirst().orElseThrow();
        }
        for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
            new ProcessBuilder("kill", "-9", pid.strip()).inheritIO().start().waitFor();
        }
    }

    record Reply(int status, String body) {
    }

    private Reply curl(String host) throws IOException, InterruptedException {
        Reply r = curlOnce(host);
        if (r.status() != 200) {
            throw new AssertionError("GET http://" + host + "/ through the router: " + r.status() + " " + r.body());
        }
        return r;
    }

    private Reply curlQuietly(String host) {
        try {
            return curlOnce(host);
        } catch (IOException | InterruptedException e) {
            return new Reply(0, e.toString());
        }
    }

    private Reply curlOnce(String host) throws IOException, InterruptedException {
        int port = router.port();
        Process p = new ProcessBuilder("curl", "-sS", "--max-time", "5", "-w", "\n%{http_code}", "--resolve",
                host + ":" + port + ":127.0.0.1", "http://" + host + ":" + port + "/").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int nl = out.lastIndexOf('\n');
        try {
            return new Reply(Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, Math.max(nl, 0)));
        } catch (NumberFormatException e) {
            return new Reply(0, out);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
