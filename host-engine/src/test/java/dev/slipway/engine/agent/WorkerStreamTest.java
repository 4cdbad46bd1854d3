package dev.slipway.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.engine.container.Engine;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stream as an {@link Outbox}: many senders at once, nothing lost or reordered per sender, never blocking. */
class WorkerStreamTest {

    @Test
    void concurrentSendersAreSerialisedOntoTheSocketInOrderAndAClosedStreamDropsAtOnce() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch connected = new CountDownLatch(1);
        try (TestApiServer api = TestApiServer.start(0)) {
            WorkerStream stream = new WorkerStream(HttpClient.newHttpClient(), URI.create(api.url()),
                    () -> TestApiServer.CREDENTIAL, Engine.objectMapper(), new WorkerStream.Listener() {
                        @Override
                        public void onConnected() {
                            events.add("connected");
                            connected.countDown();
                        }

                        @Override
                        public void onFrame(JsonNode frame) {
                            events.add(frame.path("type").asText());
                        }

                        @Override
                        public void onDisconnected() {
                            events.add("disconnected");
                        }

                        @Override
                        public void onRevoked(String message) {
                            events.add("revoked");
                        }
                    });
            assertFalse(stream.send(Map.of("type", "early")), "a stream that never connected queues nothing");
            stream.start();
            assertTrue(connected.await(30, TimeUnit.SECONDS));

            int senders = 8;
            int each = 200;
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> timings = new java.util.ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                timings.add(pool.submit(() -> {
                    go.await();
                    long slowest = 0;
                    for (int i = 0; i < each; i++) {
                        long t = System.nanoTime();
                        assertTrue(stream.send(Map.of("type", "probe", "sender", sender, "n", i,
                                "pad", "x".repeat(i % 50 == 0 ? 70_000 : 10))));
                        slowest = Math.max(slowest, System.nanoTime() - t);
                    }
                    return slowest;
                }));
            }
            go.countDown();
            for (Future<Long> f : timings) {
                assertTrue(Duration.ofNanos(f.get()).compareTo(Duration.ofSeconds(1)) < 0,
                        "a send blocked for " + Duration.ofNanos(f.get()));
            }
            pool.shutdown();
            Map<Integer, Integer> next = new HashMap<>();
            for (int k = 0; k < senders * each; k++) {
                JsonNode f = api.await(TestApiServer.type("probe"), Duration.ofSeconds(60), "probe " + k);
                int sender = f.path("sender").asInt();
                assertEquals(next.getOrDefault(sender, 0).intValue(), f.path("n").asInt(), "order of sender " + sender);
                next.put(sender, f.path("n").asInt() + 1);
            }

            stream.close();
            assertFalse(stream.send(Map.of("type", "late")), "a closed stream drops at once");
            assertFalse(events.contains("revoked"));
        }
    }
}
