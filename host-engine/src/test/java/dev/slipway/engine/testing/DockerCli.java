package dev.slipway.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real docker CLI pointed at an engine's socket (DOCKER_HOST), with its own config dir so the machine's
 * settings cannot leak in. A missing CLI fails the test with a clear message.
 */
public final class DockerCli {

    /** SLIPWAY_TEST_DOCKER, else a newer standalone client if installed, else Debian's docker.io client. */
    public static final Path BINARY = Path.of(System.getenv().getOrDefault("SLIPWAY_TEST_DOCKER",
            Files.isExecutable(Path.of("/usr/local/bin/docker")) ? "/usr/local/bin/docker" : "/usr/bin/docker"));

    private final Path socket;
    private final Path config;

    public DockerCli(Path socket, Path scratch) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("the docker CLI is required at " + BINARY
                    + " (or set SLIPWAY_TEST_DOCKER)");
        }
        this.socket = socket;
        this.config = Files.createDirectories(scratch.resolve("docker-config"));
    }

    /** How one CLI invocation ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("docker exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    public Result runWithInput(byte[] stdin, String... args) throws IOException, InterruptedException {
        Process p = start(args);
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    /** The variables that point a docker CLI at this engine. */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("DOCKER_HOST", "unix://" + socket, "DOCKER_CONFIG", config.toString());
    }

    public Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment());
        pb.environment().remove("DOCKER_CONTEXT");
        return pb.start();
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
