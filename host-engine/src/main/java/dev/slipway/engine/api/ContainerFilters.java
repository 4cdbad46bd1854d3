package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.container.ContainerRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code filters} of {@code docker ps}: {@code {"name":{"s":true}}} (or the older {@code {"name":["s"]}});
 * names are regular expressions as in Docker;
 * supported keys are id, name, status, label and exited. Values of one key are OR'ed, keys AND'ed.
 */
final class ContainerFilters {

    private static final Set<String> KEYS = Set.of("id", "name", "status", "label", "exited");

    private final Map<String, List<String>> filters;

    private ContainerFilters(Map<String, List<String>> filters) {
        this.filters = filters;
    }

    static ContainerFilters parse(ObjectMapper json, String raw) {
        return new ContainerFilters(QueryFilters.parse(json, raw, KEYS));
    }

    /** A status or exited filter asks for stopped containers even without {@code all}. */
    boolean selectsStopped() {
        return filters.containsKey("exited") || filters.getOrDefault("status", List.of()).stream()
                .anyMatch(s -> !s.equals("running"));
    }

    /** Docker matches names as regular expressions, against the name with and without its leading slash. */
    private static boolean nameMatches(String pattern, String name) {
        try {
            Pattern p = Pattern.compile(pattern);
            return p.matcher(name).find() || p.matcher("/" + name).find();
        } catch (PatternSyntaxException e) {
            return name.contains(pattern);
        }
    }

    boolean matches(ContainerRecord r) {
        for (Map.Entry<String, List<String>> e : filters.entrySet()) {
            List<String> values = e.getValue();
            boolean any = switch (e.getKey()) {
                case "id" -> values.stream().anyMatch(v -> r.id().startsWith(v));
                case "name" -> values.stream().anyMatch(v -> nameMatches(v, r.name()));
                case "status" -> values.contains(r.state().status().wire());
                case "exited" -> !r.state().running() && r.state().finishedAt() != null
                        && values.contains(Integer.toString(r.state().exitCode()));
                case "label" -> values.stream().anyMatch(v -> {
                    int eq = v.indexOf('=');
                    return eq < 0 ? r.spec().labels().containsKey(v)
                            : v.substring(eq + 1).equals(r.spec().labels().get(v.substring(0, eq)));
                });
                default -> false;
            };
            if (!any) {
                return false;
            }
        }
        return true;
    }
}
