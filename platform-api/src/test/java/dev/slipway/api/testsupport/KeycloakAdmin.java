package dev.slipway.api.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Talks to the test Keycloak the way an operator and a script would: admin REST API and password grants. */
public final class KeycloakAdmin {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeycloakAdmin() {
    }

    /** Creates an enabled user in realm {@code slipway} with a complete profile, so password grants work. */
    public static void createUser(String username, String password) {
        Map<String, Object> user = Map.of(
                "username", username,
                "enabled", true,
                "email", username + "@test.slipway.local",
                "emailVerified", true,
                "firstName", "Test",
                "lastName", username,
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create(PlatformTestResources.keycloakUrl() + "/admin/realms/" + PlatformTestResources.REALM
                                + "/users"))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(user))).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating Keycloak user " + username + " failed: " + response.statusCode()
                    + " " + response.body());
        }
    }

    /** An access token for the user from client {@code slipway-cli} (direct access grant). */
    public static String passwordGrant(String username, String password) {
        return token(PlatformTestResources.REALM, "slipway-cli", username, password);
    }

    private static String adminToken() {
        return token("master", "admin-cli", PlatformTestResources.KEYCLOAK_ADMIN,
                PlatformTestResources.KEYCLOAK_ADMIN_PASSWORD);
    }

    private static String token(String realm, String client, String username, String password) {
        String form = Map.of("grant_type", "password", "client_id", client, "username", username, "password", password)
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(PlatformTestResources.keycloakUrl()
                        + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("password grant for " + username + " failed: " + response.statusCode()
                    + " " + response.body());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak unreachable: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
