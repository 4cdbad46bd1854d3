package dev.slipway.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI / Docker image config blob, read for what the engine honours: the container config (Entrypoint, Cmd,
 * Env, WorkingDir, User, ExposedPorts, Labels, StopSignal), platform, creation time and the layers' diff ids.
 */
record ImageConfig(Image.Config config, List<String> diffIds, String created) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ImageConfig parse(byte[] blob) throws ImageException {
        JsonNode root;
        try {
            root = JSON.readTree(blob);
        } catch (IOException e) {
            throw new ImageException(ImageException.Reason.INVALID, "image config is not valid JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new ImageException(ImageException.Reason.INVALID, "image config is not a JSON object");
        }
        JsonNode rootfs = root.path("rootfs");
        if (!rootfs.path("diff_ids").isArray()) {
            throw new ImageException(ImageException.Reason.INVALID, "image config has no rootfs.diff_ids");
        }
        List<String> diffIds = strings(rootfs.path("diff_ids"));
        JsonNode c = root.path("config");
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("Labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue().asText());
        }
        List<String> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        Image.Config config = new Image.Config(strings(c.path("Entrypoint")), strings(c.path("Cmd")),
                strings(c.path("Env")), text(c, "WorkingDir"), text(c, "User"), ports, labels,
                text(c, "StopSignal"), text(root, "architecture"), text(root, "os"));
        return new ImageConfig(config, diffIds, root.hasNonNull("created") ? root.get("created").asText() : null);
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        }
        return List.copyOf(values);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}
