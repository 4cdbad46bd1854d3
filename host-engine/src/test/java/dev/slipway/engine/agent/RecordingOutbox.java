package dev.slipway.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.container.Engine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** An outbox that keeps every frame (as the JSON the API would read) and lets a test wait for one. */
final class RecordingOutbox implements Outbox {

    private final ObjectMapper json = Engine.objectMapper();
    private final List<JsonNode> frames = new ArrayList<>();
    private final List<Instant> times = new ArrayList<>();

    @Override
    public synchronized boolean send(Object message) {
        frames.add(json.valueToTree(message));
        times.add(Instant.now());
        notifyAll();
        return true;
    }

    synchronized List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** Instance frames of one instance, in order. */
    synchronized List<JsonNode> instanceFrames(String instanceId) {
        return frames.stream().filter(f -> f.path("type").asText().equals("instance")
                && f.path("instanceId").asText().equals(instanceId)).toList();
    }

    /** Waits for the first frame, at index {@code from} or later, that matches; returns its index. */
    synchronized int await(int from, Predicate<JsonNode> match, Duration timeout, String what)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        int i = from;
        while (true) {
            for (; i < frames.size(); i++) {
                if (match.test(frames.get(i))) {
                    return i;
                }
            }
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("no frame " + what + " within " + timeout.toSeconds() + " s; frames: "
                        + frames.subList(Math.min(from, frames.size()), frames.size()));
            }
            wait(left);
        }
    }

    synchronized int size() {
        return frames.size();
    }

    synchronized Instant time(int index) {
        return times.get(index);
    }

    synchronized JsonNode get(int index) {
        return frames.get(index);
    }

    static Predicate<JsonNode> instance(String instanceId, String state) {
        return f -> f.path("type").asText().equals("instance") && f.path("instanceId").asText().equals(instanceId)
                && f.path("state").asText().equals(state);
    }
}
