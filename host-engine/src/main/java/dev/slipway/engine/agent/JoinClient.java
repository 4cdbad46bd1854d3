package dev.slipway.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST {api}/worker/v1/join}: trades a join token for the worker's id and own credential. */
final class JoinClient {

    /** The API refused the join token (unknown, expired, used up or revoked): retrying cannot help. */
    static final class JoinRefused extends Exception {
        JoinRefused(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final URI api;
    private final ObjectMapper json;

    JoinClient(HttpClient http, URI api, ObjectMapper json) {
        this.http = http;
        this.api = api;
        this.json = json;
    }

    /** One attempt; IOException for anything worth retrying (API down, 5xx). */
    WorkerIdentity join(String joinToken, String name, HostCapacity capacity, String engineVersion)
            throws IOException, InterruptedException, JoinRefused {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("joinToken", joinToken);
        body.put("name", name);
        body.put("cpu", capacity.cpu());
        body.put("memoryMb", capacity.memoryMb());
        body.put("engineVersion", engineVersion);
        HttpRequest request = HttpRequest.newBuilder(api.resolve(api.getPath() + "/worker/v1/join"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 201 || status == 200) {
            JsonNode answer = json.readTree(response.body());
            String workerId = answer.path("workerId").asText("");
            String credential = answer.path("credential").asText("");
            if (workerId.isEmpty() || credential.isEmpty()) {
                throw new IOException("join answer without workerId or credential: " + response.body());
            }
            return new WorkerIdentity(workerId, credential);
        }
        if (status == 400 || status == 401 || status == 403) {
            throw new JoinRefused("the API refused to join this worker (" + status + " " + errorOf(response.body())
                    + "); create a new join token (POST /api/v1/admin/join-tokens) and start again with it");
        }
        throw new IOException("join answered " + status + " " + errorOf(response.body()));
    }

    private String errorOf(String body) {
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.isObject()) {
                return error.path("code").asText() + ": " + error.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }
}
