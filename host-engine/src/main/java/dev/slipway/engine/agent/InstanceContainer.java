package dev.slipway.engine.agent;

import dev.slipway.engine.container.ContainerRecord;
import dev.slipway.engine.container.CreateRequest;
import dev.slipway.engine.network.NetworkOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an instance spec becomes a container: its name ({@code <app>-<release>-<short instance id>}), the labels
 * that tie it to the platform (so {@code docker ps --filter label=slipway.app=web} finds it and a restarted
 * engine knows it), env, command and limits (cpu as a CFS quota, memory, pids).
 */
public final class InstanceContainer {

    public static final String INSTANCE = "slipway.instance";
    public static final String APP = "slipway.app";
    public static final String TENANT = "slipway.tenant";
    public static final String RELEASE = "slipway.release";
    public static final String GENERATION = "slipway.generation";

    private InstanceContainer() {
    }

    public static String name(Wire.InstanceSpec spec) {
        String shortId = spec.instanceId().replace("-", "");
        shortId = shortId.substring(0, Math.min(8, shortId.length()));
        return safe(spec.app()) + "-" + safe(spec.release()) + "-" + safe(shortId);
    }

    /** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; anything else becomes '-'. */
    private static String safe(String part) {
        String s = part == null || part.isEmpty() ? "x" : part.replaceAll("[^A-Za-z0-9_.-]", "-");
        return Character.isLetterOrDigit(s.charAt(0)) ? s : "x" + s;
    }

    public static Map<String, String> labels(Wire.InstanceSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(INSTANCE, spec.instanceId());
        labels.put(APP, String.valueOf(spec.app()));
        labels.put(TENANT, String.valueOf(spec.tenant()));
        labels.put(RELEASE, String.valueOf(spec.release()));
        labels.put(GENERATION, Long.toString(spec.generation()));
        return labels;
    }

    /** {@code network}: what to publish (see {@link EndpointResolver#publishing}). */
    public static CreateRequest createRequest(Wire.InstanceSpec spec, NetworkOptions network) {
        List<String> env = new ArrayList<>();
        if (spec.env() != null) {
            spec.env().forEach((k, v) -> env.add(k + "=" + (v == null ? "" : v)));
        }
        Wire.Resources r = spec.resources();
        long memory = r == null || r.memoryMb() == null ? 0 : r.memoryMb() * 1024 * 1024;
        long nanoCpus = r == null || r.cpu() == null ? 0 : Math.round(r.cpu() * 1_000_000_000L);
        long pids = r == null || r.pids() == null ? 0 : r.pids();
        List<String> command = spec.command() == null || spec.command().isEmpty() ? null : List.copyOf(spec.command());
        return new CreateRequest(name(spec), spec.image(), null, command, env, null, null, null, null, false, false,
                false, false, true, true, labels(spec), "SIGTERM", spec.stopGrace(), memory, nanoCpus, 0, pids,
                "default", false, network);
    }

    public static boolean isInstance(ContainerRecord record) {
        return record.spec().labels().containsKey(INSTANCE);
    }

    public static String instanceId(ContainerRecord record) {
        return record.spec().labels().get(INSTANCE);
    }

    public static long generation(ContainerRecord record) {
        try {
            return Long.parseLong(record.spec().labels().getOrDefault(GENERATION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
