package dev.slipway.engine.agent;

import static dev.slipway.engine.agent.TestApiServer.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.engine.config.EngineConfig;
import dev.slipway.engine.runtime.LogFileReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent over the wire: join, credential storage, the WebSocket stream (hello, welcome, heartbeats, assign,
 * instance and stats frames), reconnects and a revoked credential, against {@link TestApiServer} (a minimal
 * RFC 6455 server) and a real engine running what is assigned.
 */
class WorkerAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    static AgentTestEngine fx;

    @TempDir
    Path dataDir;
    Agent agent;
    TestApiServer api;

    @BeforeAll
    static void engine() throws Exception {
        fx = AgentTestEngine.shared();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (api != null) {
            api.close();
        }
        fx.removeInstanceContainers();
    }

    private Agent startAgent(int port, String joinToken) throws Exception {
        return Agent.start(new EngineConfig.AgentOptions(URI.create("http://127.0.0.1:" + port), joinToken,
                        "test-worker", null), dataDir, fx.containers(), fx.images(), new LogFileReader(),
                outbox -> LogShipping.NONE, fx.json);
    }

    @Test
    void joinsOnceThenStreamsAndReconnectsWithItsOwnCredentialUntilRevoked() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        // the API is down when the worker starts: it keeps trying
        agent = startAgent(port, TestApiServer.JOIN_TOKEN);
        Thread.sleep(1500);
        assertTrue(agent.workerId().isEmpty());
        api = TestApiServer.start(port);

        JsonNode hello = api.await(type("hello"), WAIT, "hello");
        assertEquals("w-1", hello.path("workerId").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), hello.path("cpu").asDouble());
        assertTrue(hello.path("memoryMb").asLong() > 0, hello.toString());
        assertTrue(hello.path("instances").isArray());
        assertEquals(1, api.joins.size());
        assertEquals("test-worker", api.joins.get(0).path("name").asText());
        Path credential = dataDir.resolve("agent/credential");
        assertEquals(TestApiServer.CREDENTIAL, Files.readString(credential).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credential)));
        assertEquals("w-1", fx.json.readTree(dataDir.resolve("agent/worker.json").toFile()).path("workerId").asText());

        JsonNode heartbeat = api.await(type("heartbeat"), WAIT, "heartbeat after welcome");
        assertTrue(Instant.parse(heartbeat.path("at").asText()).isAfter(Instant.now().minusSeconds(60)));

        Wire.InstanceSpec web = fx.spec("wired", 0, List.of("sleep", "1000"));
        api.assign(List.of(web));
        JsonNode running = api.await(f -> type("instance").test(f) && f.path("state").asText().equals("running")
                && f.path("instanceId").asText().equals(web.instanceId()), WAIT, "instance running");
        String containerId = running.path("containerId").asText();
        JsonNode stats = api.await(f -> type("stats").test(f) && f.path("samples").findValuesAsText("instanceId")
                .contains(web.instanceId()), WAIT, "stats of the instance");
        assertEquals((64L << 20), stats.path("samples").get(0).path("memoryLimitBytes").asLong());

        // the API goes away and comes back: the worker reconnects with its credential, no join, same instance
        api.close();
        api = TestApiServer.start(port, List.of(web));
        JsonNode again = api.await(type("hello"), WAIT, "hello after reconnect");
        assertEquals(0, api.joins.size());
        JsonNode reported = again.path("instances").get(0);
        assertEquals(web.instanceId(), reported.path("instanceId").asText());
        assertEquals("running", reported.path("state").asText());
        assertEquals(containerId, reported.path("containerId").asText());

        // deregistered: the next connect is refused with 401 and the agent stops; the engine keeps serving
        api.credentialRevoked = true;
        api.dropConnections();
        waitUntil(agent::stopped, "agent stopped after 401");
        assertTrue(api.streamRefusals >= 1);
        assertEquals("true", fx.docker.run("inspect", "--format", "{{.State.Running}}", containerId).ok().stdout().strip());
    }

    @Test
    void aStoredCredentialNeedsNoJoinTokenAndARefusedTokenStopsTheAgent() throws Exception {
        api = TestApiServer.start(0);
        api.refuseJoins = true;
        agent = startAgent(api.port(), "sjt_wrong");
        waitUntil(agent::stopped, "agent stopped after a refused join");
        assertEquals(1, api.joins.size(), "a refused join token is not retried");
        assertFalse(Files.exists(dataDir.resolve("agent/credential")));
        agent.close();

        new WorkerIdentity("w-1", TestApiServer.CREDENTIAL).save(dataDir.resolve("agent"), "test-worker", api.url(),
                fx.json);
        agent = startAgent(api.port(), null);
        JsonNode hello = api.await(type("hello"), WAIT, "hello with the stored credential");
        assertEquals("w-1", hello.path("workerId").asText());
        assertEquals(1, api.joins.size());
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
