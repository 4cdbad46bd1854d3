package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.api.http.ApiError;
import dev.slipway.engine.api.http.ChunkedOutputStream;
import dev.slipway.engine.api.http.HttpRequest;
import dev.slipway.engine.api.http.HttpResponse;
import dev.slipway.engine.api.http.Router;
import dev.slipway.engine.container.ContainerRecord;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.container.ContainerService.WaitCondition;
import dev.slipway.engine.container.ContainerState;
import dev.slipway.engine.container.CreateRequest;
import dev.slipway.engine.network.NetworkOptions;
import dev.slipway.engine.runtime.RunningContainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The {@code /containers} routes: one method per Docker endpoint, mapping HTTP onto {@link ContainerService}. */
final class ContainerRoutes {

    private final ContainerService containers;
    private final ContainerLogs logs;
    private final ContainerStats stats;
    private final ObjectMapper json;

    ContainerRoutes(ContainerService containers, ContainerLogs logs, ContainerStats stats, ObjectMapper json) {
        this.containers = containers;
        this.logs = logs;
        this.stats = stats;
        this.json = json;
    }

    void register(Router router) {
        router.add("GET", "/containers/json", ApiErrors.mapped((rq, rs, p) -> list(rq, rs)))
                .add("POST", "/containers/create", ApiErrors.mapped((rq, rs, p) -> create(rq, rs)))
                .add("GET", "/containers/{id}/json", ApiErrors.mapped((rq, rs, p) -> inspect(rs, p[0])))
                .add("POST", "/containers/{id}/start", ApiErrors.mapped((rq, rs, p) -> start(rs, p[0])))
                .add("POST", "/containers/{id}/stop", ApiErrors.mapped((rq, rs, p) -> stop(rq, rs, p[0])))
                .add("POST", "/containers/{id}/restart", ApiErrors.mapped((rq, rs, p) -> restart(rq, rs, p[0])))
                .add("POST", "/containers/{id}/kill", ApiErrors.mapped((rq, rs, p) -> kill(rq, rs, p[0])))
                .add("POST", "/containers/{id}/wait", ApiErrors.mapped((rq, rs, p) -> await(rq, rs, p[0])))
                .add("DELETE", "/containers/{id}", ApiErrors.mapped((rq, rs, p) -> remove(rq, rs, p[0])))
                .add("POST", "/containers/{id}/rename", ApiErrors.mapped((rq, rs, p) -> rename(rq, rs, p[0])))
                .add("POST", "/containers/{id}/attach", ApiErrors.mapped((rq, rs, p) -> attach(rq, rs, p[0])))
                .add("POST", "/containers/{id}/resize", ApiErrors.mapped((rq, rs, p) -> resize(rq, rs, p[0])))
                .add("GET", "/containers/{id}/logs", ApiErrors.mapped((rq, rs, p) -> logs.serve(rq, rs, p[0])))
                .add("GET", "/containers/{id}/stats", ApiErrors.mapped((rq, rs, p) -> stats.serve(rq, rs, p[0])));
    }

    private void list(HttpRequest request, HttpResponse response) throws IOException {
        ContainerFilters filters = ContainerFilters.parse(json, request.query("filters"));
        boolean all = request.flag("all");
        int limit = Integer.parseInt(request.query("limit", "-1"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (ContainerRecord r : containers.list()) {
            if ((all || r.state().running() || filters.selectsStopped()) && filters.matches(r)) {
                Map<String, Object> summary = ContainerViews.summary(r);
                summary.put("Ports", PortViews.summary(r.spec().networkOptions(), containers.publishedPorts(r.id())));
                summary.put("NetworkSettings", Map.of("Networks",
                        NetworkSettingsView.networks(containers.networkEndpoints(r.id()))));
                out.add(summary);
                if (limit > 0 && out.size() >= limit) {
                    break;
                }
            }
        }
        response.json(200, out);
    }

    private void create(HttpRequest request, HttpResponse response) throws Exception {
        JsonNode body = Json.body(json, request);
        if (!body.isObject()) {
            throw ApiError.badRequest("config cannot be empty in order to create a container");
        }
        JsonNode host = body.path("HostConfig");
        long nanoCpus = Json.number(host, "NanoCpus");
        long quota = Json.number(host, "CpuQuota");
        long period = Json.number(host, "CpuPeriod");
        if (nanoCpus > 0 && quota > 0) {
            throw ApiError.badRequest("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus == 0 && quota > 0) {
            nanoCpus = quota * 1_000_000_000L / (period > 0 ? period : 100_000);
        }
        NetworkOptions networkOptions = NetworkRequests.options(body);
        JsonNode stopTimeout = body.path("StopTimeout");
        CreateRequest create = new CreateRequest(request.query("name"), Json.text(body, "Image"),
                Json.strings(body.path("Entrypoint")), Json.strings(body.path("Cmd")), Json.strings(body.path("Env")),
                Json.text(body, "WorkingDir"), Json.text(body, "User"), Json.text(body, "Hostname"),
                Json.text(body, "Domainname"), body.path("Tty").asBoolean(), body.path("OpenStdin").asBoolean(),
                body.path("StdinOnce").asBoolean(), body.path("AttachStdin").asBoolean(),
                body.path("AttachStdout").asBoolean(), body.path("AttachStderr").asBoolean(),
                Json.labels(body.path("Labels")), Json.text(body, "StopSignal"),
                stopTimeout.isNumber() ? stopTimeout.asInt() : null, Json.number(host, "Memory"), nanoCpus,
                Json.number(host, "CpuShares"), Json.number(host, "PidsLimit"), Json.text(host, "NetworkMode"),
                host.path("AutoRemove").asBoolean(), networkOptions);
        ContainerRecord record = containers.create(create);
        response.json(201, Map.of("Id", record.id(), "Warnings", List.of()));
    }

    private void inspect(HttpResponse response, String ref) throws Exception {
        ContainerRecord r = containers.get(ref);
        Map<String, Object> view = ContainerViews.inspect(r, containers.execIds(r.id()),
                containers.runDir(r.id()).toString());
        Map<String, Object> net = NetworkSettingsView.inspect(containers.networkEndpoints(r.id()));
        net.put("Ports", PortViews.inspect(r.spec().networkOptions(), containers.publishedPorts(r.id())));
        view.put("NetworkSettings", net);
        @SuppressWarnings("unchecked")
        Map<String, Object> hostConfig = (Map<String, Object>) view.get("HostConfig");
        hostConfig.put("PortBindings", PortViews.requested(r.spec().networkOptions()));
        hostConfig.put("PublishAllPorts", r.spec().networkOptions().publishAllPorts());
        response.json(200, view);
    }

    private void start(HttpResponse response, String ref) throws Exception {
        containers.start(ref);
        response.empty(204);
    }

    private void stop(HttpRequest request, HttpResponse response, String ref) throws Exception {
        containers.stop(ref, timeout(request), request.query("signal"));
        response.empty(204);
    }

    private void restart(HttpRequest request, HttpResponse response, String ref) throws Exception {
        containers.restart(ref, timeout(request), request.query("signal"));
        response.empty(204);
    }

    private static Integer timeout(HttpRequest request) {
        String t = request.query("t");
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid value for t: " + t);
        }
    }

    private void kill(HttpRequest request, HttpResponse response, String ref) throws Exception {
        containers.kill(ref, request.query("signal"));
        response.empty(204);
    }

    /**
     * Docker's wait: the status line goes out as soon as the wait is registered (the client starts the container
     * only after seeing it), the body when the condition holds.
     */
    private void await(HttpRequest request, HttpResponse response, String ref) throws Exception {
        CompletableFuture<ContainerState> done =
                containers.waitFor(ref, WaitCondition.parse(request.query("condition")));
        ChunkedOutputStream out = response.stream(200, "application/json");
        ContainerState state;
        try {
            state = done.get();
        } catch (ExecutionException | CancellationException e) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("StatusCode", -1);
            failed.put("Error", Map.of("Message", String.valueOf(e.getMessage())));
            json.writeValue(out, failed);
            out.close();
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("StatusCode", state.exitCode());
        // A failed start was already reported by the start call; repeating it here makes the CLI print it twice.
        body.put("Error", null);
        out.write(json.writeValueAsBytes(body));
        out.close();
    }

    private void remove(HttpRequest request, HttpResponse response, String ref) throws Exception {
        containers.remove(ref, request.flag("force"));
        response.empty(204);
    }

    private void rename(HttpRequest request, HttpResponse response, String ref) throws Exception {
        String name = request.query("name");
        if (name == null || name.isEmpty()) {
            throw ApiError.badRequest("name is required");
        }
        containers.rename(ref, name);
        response.empty(204);
    }

    private void resize(HttpRequest request, HttpResponse response, String ref) throws Exception {
        int rows = Integer.parseInt(request.query("h", "0"));
        int cols = Integer.parseInt(request.query("w", "0"));
        RunningContainer handle = containers.handle(ref).orElseThrow(() -> ApiError.conflict(
                "Container " + ref + " is not running"));
        handle.resizeTty(rows, cols);
        response.empty(200);
    }

    /**
     * Attach: take over the connection, wait for the container to run (docker run attaches before it starts),
     * then bridge stdio until its output ends.
     */
    private void attach(HttpRequest request, HttpResponse response, String ref) throws Exception {
        ContainerRecord record = containers.get(ref);
        boolean tty = record.spec().tty();
        if (!request.flag("stream")) {
            throw ApiError.badRequest("only attach with stream=1 is supported");
        }
        CompletableFuture<RunningContainer> started = containers.whenStarted(ref);
        // Attached before the start: this client is the monitor's first, owed all output from the beginning.
        boolean fromStart = !started.isDone();
        try (HttpResponse.Hijacked conn = response.hijack(tty ? "application/vnd.docker.raw-stream"
                : "application/vnd.docker.multiplexed-stream")) {
            RunningContainer handle;
            try {
                handle = started.get();
            } catch (ExecutionException | CancellationException e) {
                return; // removed before it ever started
            }
            long sent = StdioBridge.run(handle, conn.in(), conn.out(), tty, request.flag("stdin"),
                    request.flag("stdout"), request.flag("stderr"));
            if (sent == 0 && fromStart) {
                logs.replay(containers.runDir(record.id()), conn.out(), tty, request.flag("stdout"),
                        request.flag("stderr"));
            }
        }
    }
}
