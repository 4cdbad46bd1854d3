package dev.slipway.engine.testimages;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) on 127.0.0.1 and a free
 * port, storing in a temp dir, optionally behind htpasswd basic auth; images are pushed into it with
 * {@code skopeo copy}. Missing tools fail the test with a message saying what to install.
 *
 * <pre>
 *   try (LocalRegistry registry = LocalRegistry.start(tempDir, null)) {        // or ("user", "secret")
 *       registry.push(ociArchive, "test/busybox:1");                           // skopeo copy oci-archive:...
 *       store.pull(registry.host() + "/test/busybox:1", null, NONE);
 *   }
 * </pre>
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Path SKOPEO = Path.of("/usr/bin/skopeo");

    private final Process process;
    private final int port;
    private final Path dir;
    private final String username;
    private final String password;

    private LocalRegistry(Process process, int port, Path dir, String username, String password) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.username = username;
        this.password = password;
    }

    /** Starts a registry; with a username, every request needs basic auth with that username and password. */
    public static LocalRegistry start(Path dir, String username, String password) throws IOException, InterruptedException {
        require(BINARY, "docker-registry");
        require(SKOPEO, "skopeo");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir.resolve("storage"));
        StringBuilder config = new StringBuilder("""
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: slipway-test-secret
                """.formatted(dir.resolve("storage"), port));
        if (username != null) {
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, username + ":" + bcrypt(password) + "\n");
            config.append("""
                    auth:
                      htpasswd:
                        realm: slipway-test
                        path: %s
                    """.formatted(htpasswd));
        }
        Path configFile = Files.writeString(dir.resolve("config.yml"), config);
        Process process = new ProcessBuilder(BINARY.toString(), "serve", configFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, port, dir, username, password);
        registry.awaitReady();
        return registry;
    }

    /** {@code 127.0.0.1:<port>}, the reference prefix for images in this registry. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Pushes an OCI archive (as written by {@link ImageArchives#writeOciArchive}) to {@code repository:tag}. */
    public void push(Path ociArchive, String repositoryAndTag) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SKOPEO.toString(), "--insecure-policy", "copy",
                "--dest-tls-verify=false"));
        if (username != null) {
            command.add("--dest-creds=" + username + ":" + password);
        }
        command.add("oci-archive:" + ociArchive);
        command.add("docker://" + host() + "/" + repositoryAndTag);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TMPDIR", Files.createDirectories(dir.resolve("skopeo-tmp")).toString());
        builder.environment().put("HOME", dir.toString());
        Process skopeo = builder.start();
        String output = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!skopeo.waitFor(2, TimeUnit.MINUTES) || skopeo.exitValue() != 0) {
            throw new IOException("skopeo copy to " + repositoryAndTag + " failed: " + output);
        }
    }

    /** The manifest digest the registry holds for {@code repository:tag} (via {@code skopeo inspect}). */
    public String digest(String repositoryAndTag) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SKOPEO.toString(), "inspect", "--tls-verify=false",
                "--format", "{{.Digest}}"));
        if (username != null) {
            command.add("--creds=" + username + ":" + password);
        }
        command.add("docker://" + host() + "/" + repositoryAndTag);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", dir.toString());
        Process skopeo = builder.start();
        String output = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (skopeo.waitFor() != 0) {
            throw new IOException("skopeo inspect " + repositoryAndTag + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        close();
        throw new IOException("docker-registry did not answer on " + host() + " within 30 s");
    }

    /**
     * A bcrypt hash for htpasswd (distribution accepts only bcrypt), made by libxcrypt through Python's crypt;
     * cost 4, since the registry checks it on every request and the password is a test's.
     */
    private static String bcrypt(String password) throws IOException, InterruptedException {
        Process python = new ProcessBuilder("python3", "-W", "ignore", "-c",
                "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))", password)
                .redirectErrorStream(true).start();
        String hash = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (python.waitFor() != 0 || !hash.startsWith("$2")) {
            throw new IOException("cannot make a bcrypt hash with python3's crypt module: " + hash);
        }
        return hash;
    }

    private static void require(Path tool, String debianPackage) throws IOException {
        if (!Files.isExecutable(tool)) {
            throw new IOException(tool + " is missing: install Debian's " + debianPackage + " (./slipway installs it)");
        }
    }
}
