package dev.slipway.api.logs;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.api.workers.WorkerLogSink;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Log ingestion, storage and the logs API against real PostgreSQL and Keycloak. */
@QuarkusTest
class LogsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WorkerLogSink sink;

    @Inject
    LogStore store;

    @TestHTTPResource("/")
    URI base;

    @Test
    void hundredThousandLinesThroughResendsComeBackInOrderOnce() throws Exception {
        LogFixture fx = LogFixture.create("logs100k");
        UUID instance = fx.instance(fx.workerId());
        int total = 100_000;
        // A worker sending batches of 1000 whose acknowledgements arrive late (every third batch) and whose
        // stream breaks every seventh batch: it then resends everything after its last acknowledgement, as after
        // an API restart. The API must store every line once.
        long acked = -1;
        long next = 0;
        int batches = 0;
        long highest = -1;
        while (next < total) {
            long to = Math.min(next + 1000, total);
            Long ack = sink.store(fx.workerId(), LogFixture.numbered(instance, next, to)).get(instance);
            highest = Math.max(highest, to - 1);
            assertEquals(highest, ack, "the API acknowledges everything stored so far");
            batches++;
            if (batches % 3 == 0) {
                acked = ack;
            }
            next = batches % 7 == 0 ? acked + 1 : to;
        }
        assertEquals(total, Db.count("SELECT count(*) FROM log_lines WHERE app_id = ?", fx.appId()));

        String body = fx.owner().api().accept("application/x-ndjson").get(fx.logs()).then().statusCode(200)
                .contentType(containsString("application/x-ndjson")).extract().asString();
        String[] lines = body.split("\n");
        assertEquals(total, lines.length);
        long lastCursor = 0;
        for (int i = 0; i < total; i++) {
            JsonNode line = JSON.readTree(lines[i]);
            assertEquals("line " + i, line.get("line").asText());
            assertEquals(instance.toString(), line.get("instanceId").asText());
            assertEquals(i % 10 == 9 ? "stderr" : "stdout", line.get("stream").asText());
            assertFalse(line.get("partial").asBoolean());
            long cursor = Long.parseLong(line.get("cursor").asText());
            assertTrue(cursor > lastCursor, "cursors increase");
            lastCursor = cursor;
        }
        assertEquals("2026-11-23T10:00:00.000000007Z", JSON.readTree(lines[0]).get("time").asText(),
                "the line's own time, to the nanosecond");
    }

    @Test
    void recordsOfAnotherWorkersInstanceAreRefused() {
        LogFixture fx = LogFixture.create("logsforeign");
        UUID mine = fx.instance(fx.workerId());
        UUID otherWorker = LogFixture.worker();
        UUID theirs = fx.instance(otherWorker);
        List<WorkerLogSink.Record> batch = new ArrayList<>(LogFixture.numbered(mine, 0, 3));
        batch.addAll(LogFixture.numbered(theirs, 0, 3));
        batch.addAll(LogFixture.numbered(UUID.randomUUID(), 0, 3));
        Map<UUID, Long> acks = sink.store(fx.workerId(), batch);
        assertEquals(Map.of(mine, 2L), acks, "only this worker's own instance is stored and acknowledged");
        assertEquals(3, Db.count("SELECT count(*) FROM log_lines WHERE app_id = ?", fx.appId()));
        assertEquals(0, Db.count("SELECT count(*) FROM log_lines WHERE instance_id = ?", theirs));

        // After the instance row is gone (stopped), its last lines are still accepted from the same worker only.
        Db.update("DELETE FROM instances WHERE id = ?", mine);
        assertEquals(Map.of(mine, 4L), sink.store(fx.workerId(), LogFixture.numbered(mine, 3, 5)));
        assertEquals(Map.of(), sink.store(otherWorker, LogFixture.numbered(mine, 5, 6)));
        assertEquals(5, Db.count("SELECT count(*) FROM log_lines WHERE instance_id = ?", mine));
    }

    @Test
    void queryByTailStreamInstanceTimeAndSubstring() throws Exception {
        LogFixture fx = LogFixture.create("logsquery");
        UUID a = fx.instance(fx.workerId());
        UUID b = fx.instance(fx.workerId());
        sink.store(fx.workerId(), LogFixture.numbered(a, 0, 100));
        sink.store(fx.workerId(), LogFixture.numbered(b, 0, 20));

        assertEquals(List.of("line 17", "line 18", "line 19"), texts(fx, "?tail=3"));
        assertEquals(List.of("line 9", "line 19"), texts(fx, "?stream=stderr&instance=" + b));
        assertEquals(List.of("line 42"), texts(fx, "?q=line%2042&instance=" + a));
        assertEquals(List.of("line 10", "line 11"),
                texts(fx, "?instance=" + a + "&since=2026-11-23T10:00:00.010Z&until=2026-11-23T10:00:00.012Z"));
        assertEquals(120, texts(fx, "").size());
        List<JsonNode> all = lines(fx, "");
        String cursor = all.get(99).get("cursor").asText();
        List<String> after = texts(fx, "?cursor=" + cursor);
        assertEquals(20, after.size(), "the lines after a cursor: instance b's");
        assertEquals("line 0", after.get(0));
        assertEquals(0, texts(fx, "?tail=0").size());

        for (String[] bad : new String[][] {{"tail", "-1"}, {"tail", "many"}, {"stream", "stdin"},
                {"instance", "web-1"}, {"since", "yesterday"}, {"cursor", "abc"}, {"follow", "maybe"}}) {
            fx.owner().api().queryParam(bad[0], bad[1]).get(fx.logs()).then().statusCode(400)
                    .body("error.code", equalTo("INVALID_FIELD")).body("error.message", containsString(bad[0]));
        }
        fx.owner().api().queryParam("follow", "true").queryParam("until", "5m").get(fx.logs()).then()
                .statusCode(400).body("error.message", containsString("until"));
    }

    @Test
    void onlyMembersSeeAnAppsLogs() {
        LogFixture fx = LogFixture.create("logsacl");
        sink.store(fx.workerId(), LogFixture.numbered(fx.instance(fx.workerId()), 0, 5));
        TestUser stranger = TestUser.create("logsstranger");
        String ownTenant = Api.createTenant(stranger, "strangers");
        stranger.api().body(Map.of("name", "web")).post("/api/v1/tenants/" + ownTenant + "/apps").then()
                .statusCode(201);
        stranger.api().get(fx.logs()).then().statusCode(404).body("error.code", equalTo("TENANT_NOT_FOUND"));
        stranger.api().queryParam("follow", "true").get(fx.logs()).then().statusCode(404)
                .body("error.code", equalTo("TENANT_NOT_FOUND"));
        // their own app of the same name has no lines: nothing leaks across tenants
        assertEquals("", stranger.api().get("/api/v1/tenants/" + ownTenant + "/apps/web/logs").then()
                .statusCode(200).extract().asString());
        fx.owner().api().get("/api/v1/tenants/" + fx.tenant() + "/apps/nope/logs").then().statusCode(404)
                .body("error.code", equalTo("APP_NOT_FOUND"));

        TestUser viewer = TestUser.create("logsviewer");
        Api.addMember(fx.owner(), fx.tenant(), viewer, "viewer");
        assertEquals(5, viewer.api().get(fx.logs()).then().statusCode(200).extract().asString().split("\n").length);
    }

    @Test
    void followerThatReconnectsWithLastEventIdMissesNoneAndRepeatsNone() throws Exception {
        LogFixture fx = LogFixture.create("logsfollow");
        UUID instance = fx.instance(fx.workerId());
        sink.store(fx.workerId(), LogFixture.numbered(instance, 0, 50));
        List<Long> seen = new ArrayList<>();
        String lastId;
        try (SseClient sse = new SseClient(base.resolve(fx.logs() + "?follow=true&tail=all"),
                fx.owner().accessToken(), null)) {
            assertEquals(200, sse.status());
            assertTrue(sse.contentType().startsWith("text/event-stream"), sse.contentType());
            lastId = readLogEvents(sse, 30, seen);
        }
        sink.store(fx.workerId(), LogFixture.numbered(instance, 50, 100)); // while nobody follows
        try (SseClient sse = new SseClient(base.resolve(fx.logs() + "?follow=true"), fx.owner().accessToken(),
                lastId)) {
            readLogEvents(sse, 70, seen);
            // live lines, written as another replica would (no local wake-up: NOTIFY or the feed's timer)
            store.append(fx.workerId(), LogFixture.numbered(instance, 100, 130));
            sink.store(fx.workerId(), LogFixture.numbered(instance, 130, 150));
            lastId = readLogEvents(sse, 50, seen);
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 150; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        // the cursor also works as a query parameter
        try (SseClient sse = new SseClient(base.resolve(fx.logs() + "?follow=true&cursor=" + lastId),
                fx.owner().accessToken(), null)) {
            sink.store(fx.workerId(), LogFixture.numbered(instance, 150, 151));
            List<Long> more = new ArrayList<>();
            readLogEvents(sse, 1, more);
            assertEquals(List.of(150L), more);
        }
    }

    @Test
    void aSlowViewerGetsAnExplicitDropAndNeverSlowsTheOthers() throws Exception {
        LogFixture fx = LogFixture.create("logsslow");
        UUID instance = fx.instance(fx.workerId());
        String big = "x".repeat(8 * 1024);
        int total = 8000; // 64 MiB: more than the slow viewer's queue and every socket buffer on the way
        URI follow = base.resolve(fx.logs() + "?follow=true&tail=0");
        try (SseClient slow = new SseClient(follow, fx.owner().accessToken(), null);
                SseClient fast = new SseClient(follow, fx.owner().accessToken(), null)) {
            List<Long> fastSeen = new ArrayList<>();
            for (int from = 0; from < total; from += 500) {
                List<WorkerLogSink.Record> batch = new ArrayList<>();
                for (WorkerLogSink.Record r : LogFixture.numbered(instance, from, from + 500)) {
                    batch.add(new WorkerLogSink.Record(r.instanceId(), r.seq(), r.stream(), r.time(),
                            r.line() + " " + big, r.partial()));
                }
                sink.store(fx.workerId(), batch);
                for (int i = 0; i < 500; i++) { // the fast viewer keeps up, the slow one reads nothing
                    SseClient.Event event = fast.next();
                    assertEquals("log", event.type());
                    String text = JSON.readTree(event.data()).get("line").asText();
                    fastSeen.add(Long.parseLong(text.substring(5, text.indexOf(' ', 5))));
                }
            }
            assertEquals(total, fastSeen.size());
            assertEquals(total - 1, fastSeen.getLast());

            List<Long> slowSeen = new ArrayList<>();
            SseClient.Event event;
            String lastId = null;
            while ((event = slow.next()) != null && event.type().equals("log")) {
                String text = JSON.readTree(event.data()).get("line").asText();
                slowSeen.add(Long.parseLong(text.substring(5, text.indexOf(' ', 5))));
                lastId = event.id();
            }
            assertNotNull(event, "the slow viewer's stream ends with a dropped event, not silently");
            assertEquals("dropped", event.type());
            JsonNode dropped = JSON.readTree(event.data());
            assertTrue(dropped.get("count").asLong() > 0, event.data());
            assertEquals(lastId, dropped.get("cursor").asText());
            assertTrue(slowSeen.size() < total, "the slow viewer was cut off");
            // resuming from the cursor delivers exactly the rest
            String rest = fx.owner().api().get(fx.logs() + "?cursor=" + lastId).then().statusCode(200).extract()
                    .asString();
            for (String l : rest.split("\n")) {
                String text = JSON.readTree(l).get("line").asText();
                slowSeen.add(Long.parseLong(text.substring(5, text.indexOf(' ', 5))));
            }
            assertEquals(fastSeen, slowSeen);
        }
    }

    private static String readLogEvents(SseClient sse, int count, List<Long> seqs) throws Exception {
        String lastId = null;
        for (int i = 0; i < count; i++) {
            SseClient.Event event = sse.next();
            assertNotNull(event, "stream ended early");
            assertEquals("log", event.type());
            JsonNode line = JSON.readTree(event.data());
            assertEquals(event.id(), line.get("cursor").asText());
            seqs.add(Long.parseLong(line.get("line").asText().substring(5)));
            lastId = event.id();
        }
        return lastId;
    }

    private List<JsonNode> lines(LogFixture fx, String query) throws Exception {
        String body = fx.owner().api().urlEncodingEnabled(false).get(fx.logs() + query).then().statusCode(200).extract().asString();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : body.split("\n")) {
            if (!l.isEmpty()) {
                lines.add(JSON.readTree(l));
            }
        }
        return lines;
    }

    private List<String> texts(LogFixture fx, String query) throws Exception {
        return lines(fx, query).stream().map(n -> n.get("line").asText()).toList();
    }
}
