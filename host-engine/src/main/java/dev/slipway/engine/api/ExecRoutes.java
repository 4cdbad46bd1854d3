package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.api.http.ApiError;
import dev.slipway.engine.api.http.HttpRequest;
import dev.slipway.engine.api.http.HttpResponse;
import dev.slipway.engine.api.http.Router;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.container.ExecInstance;
import dev.slipway.engine.runtime.RunningContainer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code docker exec}: create, start (hijacked unless detached), inspect for the exit code, resize. */
final class ExecRoutes {

    private final ContainerService containers;
    private final ContainerLogs logs;
    private final ObjectMapper json;

    ExecRoutes(ContainerService containers, ContainerLogs logs, ObjectMapper json) {
        this.containers = containers;
        this.logs = logs;
        this.json = json;
    }

    void register(Router router) {
        router.add("POST", "/containers/{id}/exec", ApiErrors.mapped((rq, rs, p) -> create(rq, rs, p[0])))
                .add("POST", "/exec/{id}/start", ApiErrors.mapped((rq, rs, p) -> start(rq, rs, p[0])))
                .add("GET", "/exec/{id}/json", ApiErrors.mapped((rq, rs, p) -> inspect(rs, p[0])))
                .add("POST", "/exec/{id}/resize", ApiErrors.mapped((rq, rs, p) -> resize(rq, rs, p[0])));
    }

    private void create(HttpRequest request, HttpResponse response, String ref) throws Exception {
        JsonNode body = Json.body(json, request);
        if (body.path("Privileged").asBoolean()) {
            throw ApiError.badRequest("privileged exec is not supported");
        }
        ExecInstance exec = containers.createExec(ref, Json.strings(body.path("Cmd")),
                Json.strings(body.path("Env")), Json.text(body, "WorkingDir"), Json.text(body, "User"),
                body.path("Tty").asBoolean(), body.path("AttachStdin").asBoolean(),
                body.path("AttachStdout").asBoolean(), body.path("AttachStderr").asBoolean());
        response.json(201, Map.of("Id", exec.id()));
    }

    private void start(HttpRequest request, HttpResponse response, String execId) throws Exception {
        JsonNode body = Json.body(json, request);
        ExecInstance exec = containers.exec(execId);
        RunningContainer process = containers.startExec(execId);
        if (body.path("Detach").asBoolean()) {
            response.empty(200);
            return;
        }
        boolean tty = exec.spec().tty();
        try (HttpResponse.Hijacked conn = response.hijack(tty ? "application/vnd.docker.raw-stream"
                : "application/vnd.docker.multiplexed-stream")) {
            JsonNode size = body.path("ConsoleSize");
            if (tty && size.isArray() && size.size() == 2 && size.get(0).asInt() > 0) {
                try {
                    process.resizeTty(size.get(0).asInt(), size.get(1).asInt());
                } catch (IOException e) {
                    // the process already ended: its output is still owed to the client below
                }
            }
            long sent = StdioBridge.run(process, conn.in(), conn.out(), tty, exec.attachStdin(),
                    exec.attachStdout(), exec.attachStderr());
            if (sent == 0) {
                logs.replay(exec.stateDir(), conn.out(), tty, exec.attachStdout(), exec.attachStderr());
            }
            // The client asks for the exit code right after the stream ends; make sure it is recorded by then.
            exec.ended().join();
        }
    }

    private void inspect(HttpResponse response, String execId) throws Exception {
        ExecInstance exec = containers.exec(execId);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("tty", exec.spec().tty());
        process.put("entrypoint", exec.spec().args().get(0));
        process.put("arguments", exec.spec().args().subList(1, exec.spec().args().size()));
        process.put("privileged", false);
        process.put("user", exec.spec().user());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", exec.id());
        m.put("Running", exec.running());
        m.put("ExitCode", exec.exitCode());
        m.put("ProcessConfig", process);
        m.put("OpenStdin", exec.attachStdin());
        m.put("OpenStdout", exec.attachStdout());
        m.put("OpenStderr", exec.attachStderr());
        m.put("CanRemove", false);
        m.put("ContainerID", exec.containerId());
        m.put("DetachKeys", "");
        m.put("Pid", exec.pid());
        response.json(200, m);
    }

    private void resize(HttpRequest request, HttpResponse response, String execId) throws Exception {
        ExecInstance exec = containers.exec(execId);
        RunningContainer handle = exec.handle();
        if (handle == null || !exec.running()) {
            throw ApiError.conflict("exec " + execId + " is not running");
        }
        handle.resizeTty(Integer.parseInt(request.query("h", "0")), Integer.parseInt(request.query("w", "0")));
        response.empty(200);
    }
}
