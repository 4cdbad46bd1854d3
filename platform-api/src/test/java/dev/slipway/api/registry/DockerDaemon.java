package dev.slipway.api.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real dockerd (Debian docker.io) with its own data root, exec root and socket under a temporary directory, no
 * bridge and no iptables, so it touches nothing of the host's. Registries on 127.0.0.0/8 are insecure (plain HTTP)
 * for dockerd by default.
 */
final class DockerDaemon implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final Path socket;

    private DockerDaemon(Path dir, Process process, Path socket) {
        this.dir = dir;
        this.process = process;
        this.socket = socket;
    }

    static DockerDaemon start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/sbin/dockerd"))) {
            throw new IllegalStateException("test needs dockerd (Debian docker.io)");
        }
        Path socket = dir.resolve("docker.sock");
        Process p = new ProcessBuilder("/usr/sbin/dockerd", "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(), "--host", "unix://" + socket,
                "--pidfile", dir.resolve("docker.pid").toString(), "--bridge=none", "--iptables=false",
                "--ip-masq=false")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        DockerDaemon d = new DockerDaemon(dir, p, socket);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("dockerd exited: " + Files.readString(dir.resolve("dockerd.log")));
            }
            if (Files.exists(socket) && d.docker(List.of("version")).code == 0) {
                return d;
            }
            if (System.nanoTime() > deadline) {
                d.close();
                throw new IllegalStateException("dockerd did not come up: " + Files.readString(dir.resolve("dockerd.log")));
            }
            Thread.sleep(200);
        }
    }

    record Result(int code, String output) {
    }

    Result docker(List<String> args) throws IOException, InterruptedException {
        return docker(args, null);
    }

    Result docker(List<String> args, String stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "--host", "unix://" + socket));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_CONFIG", dir.resolve("client").toString());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    String must(String... args) throws IOException, InterruptedException {
        Result r = docker(List.of(args));
        if (r.code != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed: " + r.output);
        }
        return r.output;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        // dockerd leaves its runtime state mounted under exec root on some hosts; unmount before deleting.
        new ProcessBuilder("sh", "-c", "grep -o ' " + dir + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l")
                .start().waitFor();
    }
}
