package dev.slipway.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The packaged API ({@code quarkus-run.jar}, built by {@code package} before Failsafe runs) as a process of its
 * own, on the test PostgreSQL and Keycloak, so a test can {@code kill -9} it and start it again on the same
 * database, data directory and ports, as an operator's restart would.
 *
 * <p>Lifecycle: {@link #start} launches and waits until {@code /q/health/ready} answers; {@link #kill9} ends
 * the process with SIGKILL (no shutdown hook runs); {@link #restart} launches it again; {@link #close} kills it.
 */
public final class ApiProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Path jar;
    private final Path home;
    private final int httpPort;
    private final int routerPort;
    private Process process;
    private int launches;

    private ApiProcess(Path jar, Path home, int httpPort, int routerPort) {
        this.jar = jar;
        this.home = home;
        this.httpPort = httpPort;
        this.routerPort = routerPort;
    }

    /** Starts the jar named by the system property {@code slipway.test.api-jar} (set by the module's pom). */
    public static ApiProcess start() {
        Path jar = Path.of(System.getProperty("slipway.test.api-jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ITs run after `package` (./mvnw verify)");
        }
        try {
            ApiProcess api = new ApiProcess(jar, Files.createTempDirectory("slipway-api-"), freePort(), freePort());
            api.launch();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int port() {
        return httpPort;
    }

    /** SIGKILL: the process gets no chance to flush, acknowledge or close anything. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public void restart() {
        launch();
    }

    private void launch() {
        launches++;
        Path log = home.resolve("api-" + launches + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + home, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("SLIPWAY_ROUTER_PORT", Integer.toString(routerPort));
        env.put("SLIPWAY_APPS_DOMAIN", "localhost:" + routerPort);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", PlatformTestResources.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", PlatformTestResources.keycloakUrl() + "/realms/"
                + PlatformTestResources.REALM);
        env.put("SLIPWAY_DATA_DIR", home.resolve("data").toString());
        env.put("SLIPWAY_DEV_SEED", "true");
        try {
            process = builder.start();
            awaitReady(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the API exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep waiting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the API was not ready within " + READY_TIMEOUT + "; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill9();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
