package dev.slipway.engine.api;

import dev.slipway.engine.api.http.ApiError;
import dev.slipway.engine.api.http.ChunkedOutputStream;
import dev.slipway.engine.api.http.HttpRequest;
import dev.slipway.engine.api.http.HttpResponse;
import dev.slipway.engine.container.ContainerException;
import dev.slipway.engine.container.ContainerRecord;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.runtime.ContainerLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Predicate;

/** {@code docker logs}: the runtime's log records of the container's current run, as Docker's stream format. */
final class ContainerLogs {

    private static final byte[] NEWLINE = {'\n'};

    private final ContainerService containers;
    private final ContainerLog log;

    ContainerLogs(ContainerService containers, ContainerLog log) {
        this.containers = containers;
        this.log = log;
    }

    void serve(HttpRequest request, HttpResponse response, String ref) throws IOException, ContainerException,
            InterruptedException {
        ContainerRecord record = containers.get(ref);
        boolean stdout = request.flag("stdout");
        boolean stderr = request.flag("stderr");
        if (!stdout && !stderr) {
            throw ApiError.badRequest("Bad parameters: you must choose at least one stream");
        }
        int tail = tail(request.query("tail"));
        Instant since = parseTime(request.query("since"), "since");
        Instant until = parseTime(request.query("until"), "until");
        boolean timestamps = request.flag("timestamps");
        boolean follow = request.flag("follow") && record.state().running();
        boolean tty = record.spec().tty();
        Predicate<ContainerLog.Record> filter = streams(stdout, stderr)
                .and(r -> (since == null || !r.timestamp().isBefore(since))
                        && (until == null || !r.timestamp().isAfter(until)));
        ChunkedOutputStream out = response.stream(200, tty ? "application/vnd.docker.raw-stream"
                : "application/vnd.docker.multiplexed-stream");
        Path runDir = containers.runDir(record.id());
        if (Files.isDirectory(runDir)) {
            log.read(runDir, -1, tail, follow, filter, r -> {
                write(out, r, tty, timestamps);
                if (follow) {
                    out.flush();
                }
                return true;
            });
        }
        out.close();
    }

    /**
     * Sends everything a process's log holds to an attach client that the monitor could no longer serve (the
     * process ended before the client's attach reached it).
     */
    void replay(Path stateDir, OutputStream out, boolean tty, boolean stdout, boolean stderr) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            return;
        }
        try {
            log.read(stateDir, -1, -1, false, streams(stdout, stderr), r -> {
                write(out, r, tty, false);
                return true;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }

    private static Predicate<ContainerLog.Record> streams(boolean stdout, boolean stderr) {
        return r -> r.stream() == ContainerLog.Record.STDOUT ? stdout : stderr;
    }

    private static void write(OutputStream out, ContainerLog.Record r, boolean tty, boolean timestamps)
            throws IOException {
        byte[] prefix = timestamps
                ? (DockerTime.rfc3339Nano(r.timestamp()) + " ").getBytes(StandardCharsets.US_ASCII) : new byte[0];
        byte[] end = r.partial() ? new byte[0] : NEWLINE;
        if (tty) {
            out.write(prefix);
            out.write(r.bytes());
            out.write(end);
            return;
        }
        byte[] line = new byte[prefix.length + r.bytes().length + end.length];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        System.arraycopy(r.bytes(), 0, line, prefix.length, r.bytes().length);
        System.arraycopy(end, 0, line, prefix.length + r.bytes().length, end.length);
        StreamFrames.write(out, r.stream(), line, 0, line.length);
    }

    private static int tail(String value) {
        if (value == null || value.isEmpty() || value.equals("all")) {
            return -1;
        }
        try {
            return Math.max(Integer.parseInt(value), 0);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid value for tail: " + value);
        }
    }

    private static Instant parseTime(String value, String name) {
        try {
            Instant t = DockerTime.parseUnix(value);
            return t == null || t.getEpochSecond() == 0 && t.getNano() == 0 ? null : t;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid value for " + name + ": " + value);
        }
    }
}
