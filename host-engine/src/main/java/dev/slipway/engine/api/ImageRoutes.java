package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.api.http.ApiError;
import dev.slipway.engine.api.http.ChunkedOutputStream;
import dev.slipway.engine.api.http.HttpRequest;
import dev.slipway.engine.api.http.HttpResponse;
import dev.slipway.engine.api.http.Router;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.container.ImageRefs;
import dev.slipway.engine.image.Image;
import dev.slipway.engine.image.ImageException;
import dev.slipway.engine.image.ImageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /images} routes: list, load, pull, inspect, tag, remove. */
final class ImageRoutes {

    private final ImageStore images;
    private final ContainerService containers;
    private final ObjectMapper json;

    ImageRoutes(ImageStore images, ContainerService containers, ObjectMapper json) {
        this.images = images;
        this.containers = containers;
        this.json = json;
    }

    void register(Router router) {
        router.add("GET", "/images/json", ApiErrors.mapped((rq, rs, p) -> list(rs)))
                .add("POST", "/images/load", ApiErrors.mapped((rq, rs, p) -> load(rq, rs)))
                .add("POST", "/images/create", ApiErrors.mapped((rq, rs, p) -> pull(rq, rs)))
                .add("GET", "/images/{name*}/json", ApiErrors.mapped((rq, rs, p) -> inspect(rs, p[0])))
                .add("POST", "/images/{name*}/tag", ApiErrors.mapped((rq, rs, p) -> tag(rq, rs, p[0])))
                .add("DELETE", "/images/{name*}", ApiErrors.mapped((rq, rs, p) -> remove(rq, rs, p[0])));
    }

    private Image find(String ref) throws IOException {
        var image = images.find(ref);
        if (image.isEmpty() && ImageRefs.lacksTagAndDigest(ref)) {
            image = images.find(ref + ":latest");
        }
        return image.orElseThrow(() -> ApiError.notFound("No such image: " + ImageRefs.withDefaultTag(ref)));
    }

    private void list(HttpResponse response) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Image image : images.list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", image.id());
            m.put("ParentId", "");
            m.put("RepoTags", image.repoTags());
            m.put("RepoDigests", image.repoDigests());
            m.put("Created", image.created() == null ? 0 : image.created().getEpochSecond());
            m.put("Size", image.size());
            m.put("SharedSize", -1);
            m.put("VirtualSize", image.size());
            m.put("Labels", image.config().labels());
            m.put("Containers", -1);
            out.add(m);
        }
        response.json(200, out);
    }

    private void inspect(HttpResponse response, String ref) throws IOException {
        Image image = find(ref);
        Image.Config c = image.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Env", c.env());
        config.put("Cmd", c.cmd().isEmpty() ? null : c.cmd());
        config.put("Entrypoint", c.entrypoint().isEmpty() ? null : c.entrypoint());
        config.put("WorkingDir", c.workingDir());
        config.put("User", c.user());
        Map<String, Object> ports = new LinkedHashMap<>();
        c.exposedPorts().forEach(p -> ports.put(p, Map.of()));
        config.put("ExposedPorts", ports.isEmpty() ? null : ports);
        config.put("Labels", c.labels());
        if (c.stopSignal() != null && !c.stopSignal().isEmpty()) {
            config.put("StopSignal", c.stopSignal());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", image.id());
        m.put("RepoTags", image.repoTags());
        m.put("RepoDigests", image.repoDigests());
        m.put("Parent", "");
        m.put("Comment", "");
        m.put("Created", DockerTime.rfc3339(image.created()));
        m.put("DockerVersion", "");
        m.put("Author", "");
        m.put("Config", config);
        m.put("Architecture", c.architecture());
        m.put("Os", c.os());
        m.put("Size", image.size());
        m.put("VirtualSize", image.size());
        m.put("GraphDriver", Map.of("Name", "overlay", "Data", Map.of()));
        m.put("RootFS", Map.of("Type", "layers", "Layers", image.diffIds()));
        m.put("Metadata", Map.of("LastTagTime", DockerTime.ZERO));
        response.json(200, m);
    }

    /** docker load: the archive streams in as the request body; progress and the result stream out as JSON. */
    private void load(HttpRequest request, HttpResponse response) throws IOException {
        boolean quiet = request.flag("quiet");
        ChunkedOutputStream out = response.stream(200, "application/json");
        ProgressWriter progress = new ProgressWriter(out, json);
        try {
            List<Image> loaded = images.load(request.body(), quiet ? ImageStore.ProgressListener.NONE : progress);
            for (Image image : loaded) {
                if (image.repoTags().isEmpty()) {
                    progress.stream("Loaded image ID: " + image.id() + "\n");
                }
                for (String tag : image.repoTags()) {
                    progress.stream("Loaded image: " + tag + "\n");
                }
            }
        } catch (ImageException e) {
            progress.error(e.getMessage());
        }
        out.close();
    }

    /** docker pull: {@code fromImage} plus {@code tag} (a tag or a digest), credentials in X-Registry-Auth. */
    private void pull(HttpRequest request, HttpResponse response) throws IOException {
        String from = request.query("fromImage");
        if (from == null || from.isEmpty()) {
            throw ApiError.badRequest("fromImage is required (importing from a source is not supported)");
        }
        String tag = request.query("tag", "");
        String ref = tag.isEmpty() ? ImageRefs.withDefaultTag(from)
                : from + (tag.startsWith("sha256:") ? "@" : ":") + tag;
        ImageStore.RegistryCredentials credentials = credentials(request.header("X-Registry-Auth"));
        ChunkedOutputStream out = response.stream(200, "application/json");
        ProgressWriter progress = new ProgressWriter(out, json);
        try {
            // The store reports "Pulling from", per-layer progress, "Digest:" and "Status:" itself.
            images.pull(ref, credentials, progress);
        } catch (ImageException e) {
            progress.error(e.getMessage());
        }
        out.close();
    }

    private ImageStore.RegistryCredentials credentials(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        JsonNode auth;
        try {
            byte[] decoded = header.contains("+") || header.contains("/")
                    ? Base64.getDecoder().decode(header) : Base64.getUrlDecoder().decode(header.trim());
            auth = json.readTree(decoded);
        } catch (IllegalArgumentException | IOException e) {
            throw ApiError.badRequest("invalid X-Registry-Auth header");
        }
        String username = Json.text(auth, "username");
        String password = Json.text(auth, "password");
        String encoded = Json.text(auth, "auth");
        if ((username == null || username.isEmpty()) && encoded != null && !encoded.isEmpty()) {
            String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            username = colon < 0 ? pair : pair.substring(0, colon);
            password = colon < 0 ? "" : pair.substring(colon + 1);
        }
        if (username == null || username.isEmpty()) {
            return null;
        }
        return new ImageStore.RegistryCredentials(username, password == null ? "" : password);
    }

    private void tag(HttpRequest request, HttpResponse response, String ref) throws Exception {
        String repo = request.query("repo");
        if (repo == null || repo.isEmpty()) {
            throw ApiError.badRequest("repo is required");
        }
        images.tag(find(ref), repo + ":" + request.query("tag", "latest"));
        response.empty(201);
    }

    private void remove(HttpRequest request, HttpResponse response, String ref) throws Exception {
        find(ref);
        boolean force = request.flag("force");
        List<Map<String, String>> out = new ArrayList<>();
        for (String entry : images.remove(ref, force)) {
            if (entry.startsWith("Untagged: ")) {
                out.add(Map.of("Untagged", entry.substring(10)));
            } else if (entry.startsWith("Deleted: ")) {
                out.add(Map.of("Deleted", entry.substring(9)));
            } else if (entry.startsWith("sha256:")) {
                out.add(Map.of("Deleted", entry));
            } else {
                out.add(Map.of("Untagged", entry));
            }
        }
        response.json(200, out);
    }
}
