package dev.slipway.api.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.slipway.api.events.PlatformEvents;
import dev.slipway.api.router.RouterClient.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router end to end: real PostgreSQL rows (as the scheduler and workers write them), real HTTP servers on
 * loopback as instances, real HTTP and WebSocket clients talking to the router's own port.
 */
@QuarkusTest
@TestProfile(RouterTestProfile.class)
class RouterTest {

    private static Vertx vertx;

    @Inject
    AppRouter router;

    @Inject
    RouteTable table;

    private RouterClient client;
    private final List<TestBackend> backends = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void connect() {
        assertTrue(router.port() > 0, "the router listens on its own port");
        client = new RouterClient(vertx, router.port());
    }

    @AfterEach
    void stopBackends() throws Exception {
        client.close();
        for (TestBackend backend : backends) {
            backend.close();
        }
    }

    private TestBackend backend(String name) throws Exception {
        TestBackend backend = TestBackend.start(vertx, name);
        backends.add(backend);
        return backend;
    }

    /** An app with one release (v1, current) whose healthy instances listen at the endpoints; waits for its route. */
    private UUID runningApp(String tenant, String app, String... endpoints) throws Exception {
        UUID appId = RouteRows.app(tenant, app, endpoints.length);
        UUID release = RouteRows.release(appId, 1, endpoints.length, "running");
        for (String endpoint : endpoints) {
            RouteRows.instance(appId, release, "running", true, endpoint);
        }
        RouteRows.routesChanged(appId);
        awaitRoute(new AppAddress(tenant, app), r -> r.endpoints().size() == endpoints.length);
        return appId;
    }

    private Route awaitRoute(AppAddress address, Predicate<Route> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            Route route = table.lookup(address);
            if (route != null && condition.test(route)) {
                return route;
            }
            Thread.sleep(20);
        }
        Route route = table.lookup(address);
        fail("route of " + address + " did not reach the expected state; now: "
                + (route == null ? "absent" : route.state() + " " + route.endpoints()));
        return null;
    }

    private static String host(String tenant, String app) {
        return app + "." + tenant + ".localhost:8000";
    }

    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void routesByHostAndBalancesRoundRobinOverKeptAliveConnections() throws Exception {
        String tenant = RouteRows.tenant("rt");
        TestBackend one = backend("one");
        TestBackend two = backend("two");
        runningApp(tenant, "web", one.endpoint(), two.endpoint());

        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            Reply reply = client.get(host(tenant, "web"), "/");
            assertEquals(200, reply.status());
            served.merge(reply.body(), 1, Integer::sum);
        }
        assertEquals(Map.of("one", 10, "two", 10), served, "round robin alternates between the instances");
        assertTrue(one.connections.get() + two.connections.get() <= 4,
                "keep-alive: 20 requests used " + (one.connections.get() + two.connections.get()) + " connections");

        // Any port and any case in the Host header name the same app.
        assertEquals(200, client.get(("WEB." + tenant + ".LocalHost").toUpperCase(), "/").status());
        assertEquals(200, client.get("web." + tenant + ".localhost:80", "/").status());
    }

    @Test
    void anAppOfOneTenantIsNeverServedForAnotherTenantsHost() throws Exception {
        String tenantA = RouteRows.tenant("ta");
        String tenantB = RouteRows.tenant("tb");
        TestBackend a = backend("a-web");
        TestBackend b = backend("b-api");
        runningApp(tenantA, "web", a.endpoint());
        runningApp(tenantB, "api", b.endpoint());

        assertEquals("a-web", client.get(host(tenantA, "web"), "/").body());
        assertEquals("b-api", client.get(host(tenantB, "api"), "/").body());
        Reply crossB = client.get(host(tenantB, "web"), "/");
        Reply crossA = client.get(host(tenantA, "api"), "/");
        Reply noTenant = client.get(host("no-such-tenant-" + UUID.randomUUID().toString().substring(0, 8), "web"), "/");
        for (Reply reply : List.of(crossB, crossA, noTenant)) {
            assertEquals(404, reply.status());
            assertEquals("APP_NOT_FOUND", reply.json().getJsonObject("error").getString("code"));
        }
        // An unknown tenant reads exactly like an unknown app in a real tenant (only the echoed name differs).
        assertEquals(crossB.json().getJsonObject("error").getString("message").replace(tenantB, "X"),
                noTenant.json().getJsonObject("error").getString("message").replaceAll("no-such-tenant-[0-9a-f]+", "X"));
        assertEquals(404, client.get("web." + tenantA + ".example.com", "/").status());
        assertEquals(404, client.get("localhost:8000", "/").status());
        assertEquals(1, a.requests.get(), "tenant A's instance saw only its own request");
        assertEquals(1, b.requests.get(), "tenant B's instance saw only its own request");
    }

    @Test
    void aRefusedConnectionMovesOnToAnotherInstance() throws Exception {
        String tenant = RouteRows.tenant("rr");
        TestBackend live = backend("live");
        runningApp(tenant, "web", "127.0.0.1:" + deadPort(), live.endpoint());
        for (int i = 0; i < 6; i++) {
            assertEquals("live", client.get(host(tenant, "web"), "/").body());
        }
        // Nothing was sent to the dead endpoint, so even a POST with a body may move on.
        Reply upload = client.send(HttpMethod.POST, host(tenant, "web"), "/upload", Buffer.buffer("12345"));
        assertEquals(200, upload.status());
        assertEquals("5", upload.body());
    }

    @Test
    void aRequestWhoseBodyReachedAnInstanceIsNeverRetried() throws Exception {
        String tenant = RouteRows.tenant("nr");
        TestBackend one = backend("one");
        TestBackend two = backend("two");
        runningApp(tenant, "web", one.endpoint(), two.endpoint());

        Reply post = client.send(HttpMethod.POST, host(tenant, "web"), "/drop", Buffer.buffer("pay once"));
        assertEquals(502, post.status());
        assertEquals("BACKEND_FAILED", post.json().getJsonObject("error").getString("code"));
        assertEquals(1, one.drops.get() + two.drops.get(), "a POST is sent once, never replayed");

        Reply get = client.get(host(tenant, "web"), "/drop");
        assertEquals(502, get.status());
        assertEquals(3, one.drops.get() + two.drops.get(), "a GET without a body is retried once");
    }

    @Test
    void noReachableInstanceIs502AndASilentOneIs504() throws Exception {
        String tenant = RouteRows.tenant("gw");
        runningApp(tenant, "dead", "127.0.0.1:" + deadPort(), "127.0.0.1:" + deadPort());
        Reply dead = client.get(host(tenant, "dead"), "/");
        assertEquals(502, dead.status());
        assertEquals("BACKEND_UNREACHABLE", dead.json().getJsonObject("error").getString("code"));
        assertNotNull(dead.headers().get("X-Request-Id"));

        TestBackend slow = backend("slow");
        runningApp(tenant, "slow", slow.endpoint());
        Reply timeout = client.get(host(tenant, "slow"), "/slow");
        assertEquals(504, timeout.status());
        assertEquals("BACKEND_TIMEOUT", timeout.json().getJsonObject("error").getString("code"));
        // The router is still fine for the next request on that app.
        assertEquals("slow", client.get(host(tenant, "slow"), "/").body());
    }

    @Test
    void anAppWithoutHealthyInstancesIs503NamingItsState() throws Exception {
        String tenant = RouteRows.tenant("st");
        UUID fresh = RouteRows.app(tenant, "fresh", 1);
        UUID stopped = RouteRows.app(tenant, "stopped", 0);
        RouteRows.release(stopped, 1, 0, "running");
        UUID crashing = RouteRows.app(tenant, "crashing", 1);
        RouteRows.instance(crashing, RouteRows.release(crashing, 1, 1, "pending"), "crash-loop", false, null);
        UUID starting = RouteRows.app(tenant, "starting", 1);
        RouteRows.instance(starting, RouteRows.release(starting, 1, 1, "pending"), "starting", false,
                "127.0.0.1:" + deadPort());
        Map<UUID, String> expected = Map.of(fresh, "not-deployed", stopped, "stopped", crashing, "crash-loop",
                starting, "deploying");
        Map<UUID, String> names = Map.of(fresh, "fresh", stopped, "stopped", crashing, "crashing",
                starting, "starting");
        for (UUID app : expected.keySet()) {
            RouteRows.routesChanged(app);
        }
        for (var entry : expected.entrySet()) {
            String app = names.get(entry.getKey());
            awaitRoute(new AppAddress(tenant, app), r -> r.state().equals(entry.getValue()));
            Reply reply = client.get(host(tenant, app), "/", "Accept", "application/json");
            assertEquals(503, reply.status(), app);
            assertEquals("5", reply.headers().get("Retry-After"));
            JsonObject error = reply.json().getJsonObject("error");
            assertEquals("APP_UNAVAILABLE", error.getString("code"));
            assertEquals(entry.getValue(), error.getString("state"));
            assertTrue(error.getString("message").contains(app + "." + tenant), error.getString("message"));
        }
        Reply page = client.get(host(tenant, "crashing"), "/", "Accept", "text/html,application/xhtml+xml");
        assertEquals(503, page.status());
        assertTrue(page.headers().get("Content-Type").startsWith("text/html"));
        assertTrue(page.body().contains("<h1>503 Service Unavailable</h1>"), page.body());
        assertTrue(page.body().contains("<code>crash-loop</code>"), page.body());
        assertTrue(page.body().contains("APP_UNAVAILABLE"), page.body());
        Reply notFound = client.get(host(tenant, "nothing"), "/", "Accept", "text/html");
        assertEquals(404, notFound.status());
        assertTrue(notFound.body().contains("<h1>404 Not Found</h1>"), notFound.body());
    }

    @Test
    void appsSeeForwardedHeadersAndNoHopByHopHeaders() throws Exception {
        String tenant = RouteRows.tenant("fw");
        TestBackend app = backend("app");
        runningApp(tenant, "web", app.endpoint());
        String host = "web." + tenant + ".localhost:8000";
        Reply reply = client.get(host, "/headers?x=1",
                "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "evil.example", "Forwarded", "for=6.6.6.6",
                "Connection", "keep-alive, X-Drop-Me", "X-Drop-Me", "secret", "Keep-Alive", "timeout=5",
                "X-Kept", "yes");
        assertEquals(200, reply.status());
        JsonObject seen = reply.json();
        assertEquals(host, seen.getString("host"), "the app sees the Host it was called by");
        assertEquals("127.0.0.1", seen.getString("x-forwarded-for"), "a client cannot spoof its address");
        assertEquals("http", seen.getString("x-forwarded-proto"));
        assertEquals(host, seen.getString("x-forwarded-host"));
        assertEquals("8000", seen.getString("x-forwarded-port"));
        assertEquals("for=127.0.0.1;host=\"" + host + "\";proto=http", seen.getString("forwarded"));
        assertEquals("yes", seen.getString("x-kept"));
        assertFalse(seen.containsKey("x-drop-me"), "headers named by Connection are hop-by-hop");
        assertFalse(seen.containsKey("keep-alive"));
        String requestId = seen.getString("x-request-id");
        assertNotNull(requestId);
        assertEquals(requestId, reply.headers().get("X-Request-Id"), "the client gets the same request id");

        Reply traced = client.get(host, "/headers", "X-Request-Id", "trace-42");
        assertEquals("trace-42", traced.json().getString("x-request-id"), "a client's request id is kept");
        Reply unsafe = client.get(host, "/headers", "X-Request-Id", "bad id <script>");
        assertNotEquals("bad id <script>", unsafe.json().getString("x-request-id"));
    }

    @Test
    void serverSentEventsArriveAsTheyAreSent() throws Exception {
        String tenant = RouteRows.tenant("se");
        TestBackend app = backend("events");
        runningApp(tenant, "web", app.endpoint());
        BlockingQueue<String> chunks = client.stream(host(tenant, "web"), "/sse", "Accept", "text/event-stream");
        assertEquals("status:200", chunks.poll(10, TimeUnit.SECONDS));
        // The first event arrives while the instance holds back the second: nothing is buffered on the way.
        assertEquals("data: one\n\n", chunks.poll(10, TimeUnit.SECONDS));
        app.sseSecond.complete();
        assertEquals("data: two\n\n", chunks.poll(10, TimeUnit.SECONDS));
        assertEquals("<end>", chunks.poll(10, TimeUnit.SECONDS));
        assertEquals(0, app.abandonedStreams.get());

        // A client that goes away mid-stream takes the instance's side of the stream with it.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", router.port())) {
            socket.getOutputStream().write(("GET /sse HTTP/1.1\r\nHost: " + host(tenant, "web") + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("data: one")) {
                seen.append((char) socket.getInputStream().read());
            }
        }
        Instant deadline = Instant.now().plusSeconds(10);
        while (app.abandonedStreams.get() == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(1, app.abandonedStreams.get(), "the router closed the instance's stream");
    }

    @Test
    void webSocketsPassThrough() throws Exception {
        String tenant = RouteRows.tenant("ws");
        TestBackend app = backend("echo");
        runningApp(tenant, "web", app.endpoint());
        try (RawWebSocket socket = new RawWebSocket(router.port(), host(tenant, "web"), "/ws")) {
            assertTrue(socket.responseHead.startsWith("HTTP/1.1 101"), socket.responseHead);
            assertTrue(socket.responseHead.contains(RawWebSocket.ACCEPT), socket.responseHead);
            socket.sendText("hello");
            assertEquals("echo:hello", socket.readText());
            socket.sendText("again");
            assertEquals("echo:again", socket.readText());
        }
        try (RawWebSocket refused = new RawWebSocket(router.port(), host(tenant, "web"), "/not-a-socket")) {
            assertTrue(refused.responseHead.startsWith("HTTP/1.1 404"), refused.responseHead);
        }
    }

    @Test
    void largeBodiesStreamBothWays() throws Exception {
        String tenant = RouteRows.tenant("lb");
        TestBackend app = backend("bulk");
        runningApp(tenant, "web", app.endpoint());
        Reply chunked = client.uploadChunked(host(tenant, "web"), "/upload", 512, 64 * 1024);
        assertEquals(200, chunked.status());
        assertEquals(Long.toString(512L * 64 * 1024), chunked.body());
        Reply sized = client.send(HttpMethod.PUT, host(tenant, "web"), "/upload", Buffer.buffer(new byte[8 << 20]));
        assertEquals(Integer.toString(8 << 20), sized.body());
        long bytes = 64L << 20;
        assertEquals(bytes, client.downloadLength(host(tenant, "web"), "/download?bytes=" + bytes));
    }

    @Test
    void aRouteChangeTakesEffectThroughItsEventWithoutRestart() throws Exception {
        String tenant = RouteRows.tenant("ro");
        TestBackend v1 = backend("v1");
        TestBackend v2 = backend("v2");
        UUID app = RouteRows.app(tenant, "web", 1);
        UUID release1 = RouteRows.release(app, 1, 1, "superseded");
        RouteRows.instance(app, release1, "running", true, v1.endpoint());
        UUID release2 = RouteRows.release(app, 2, 1, "pending");
        UUID instance2 = RouteRows.instance(app, release2, "starting", false, v2.endpoint());
        RouteRows.routesChanged(app);
        AppAddress address = new AppAddress(tenant, "web");
        awaitRoute(address, r -> r.endpoints().size() == 1);
        assertEquals("v1", client.get(host(tenant, "web"), "/").body(),
                "while the new release starts, the old one keeps serving");

        RouteRows.setHealthy(instance2, true);
        // Without an event (and with the periodic refresh an hour away) the table does not change ...
        assertEquals("v1", client.get(host(tenant, "web"), "/").body());
        RouteRows.routesChanged(app);
        awaitRoute(address, r -> r.endpoints().equals(List.of(Endpoint.parse(v2.endpoint()).orElseThrow())));
        for (int i = 0; i < 4; i++) {
            assertEquals("v2", client.get(host(tenant, "web"), "/").body(), "the current release is preferred");
        }

        // A RESYNC (sent after the event listener reconnects) re-reads every app.
        RouteRows.setHealthy(instance2, false);
        RouteRows.routesChanged(PlatformEvents.RESYNC);
        awaitRoute(address, r -> r.endpoints().equals(List.of(Endpoint.parse(v1.endpoint()).orElseThrow())));
        assertEquals("v1", client.get(host(tenant, "web"), "/").body());

        RouteRows.deleteApp(app);
        RouteRows.routesChanged(app);
        Instant deadline = Instant.now().plusSeconds(10);
        while (table.lookup(address) != null && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(404, client.get(host(tenant, "web"), "/").status(), "a deleted app is gone from the table");
    }
}
