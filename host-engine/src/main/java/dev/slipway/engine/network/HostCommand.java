package dev.slipway.engine.network;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the host's networking tools (ip, nft, unshare, nsenter) and turns a failure into an IOException
 * that carries the tool's own message. Batch input goes on stdin, so one process does many changes.
 */
final class HostCommand {

    private HostCommand() {
    }

    static String run(List<String> argv) throws IOException {
        return run(argv, null);
    }

    static String run(List<String> argv, String stdin) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, Thread::startVirtualThread);
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(argv.get(0) + " failed (exit " + p.exitValue() + "): "
                        + new String(err.join(), StandardCharsets.UTF_8).strip()
                        + (stdin == null ? "" : " [input: " + stdin.strip().replace('\n', ';') + "]"));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + argv.get(0));
        }
        return out;
    }
}
