package dev.slipway.engine.api.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps method and path to a handler. Patterns are literal segments and {@code {name}} placeholders; a trailing
 * {@code {name*}} placeholder matches the rest of the path up to a fixed suffix, because image references contain
 * slashes ({@code /images/localhost:5000/demo/web:1/json}).
 */
public final class Router {

    private record Route(String method, String[] segments, String suffix, boolean greedy, Handler handler) {
    }

    /** What {@link #match} found: the handler and its path parameters, or a 404/405 verdict. */
    public record Match(Handler handler, String[] params, boolean pathKnown) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String pattern, Handler handler) {
        String[] parts = pattern.substring(1).split("/");
        int greedyAt = -1;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].endsWith("*}")) {
                greedyAt = i;
            }
        }
        if (greedyAt < 0) {
            routes.add(new Route(method, parts, null, false, handler));
        } else {
            String[] head = java.util.Arrays.copyOf(parts, greedyAt + 1);
            StringBuilder suffix = new StringBuilder();
            for (int i = greedyAt + 1; i < parts.length; i++) {
                suffix.append('/').append(parts[i]);
            }
            routes.add(new Route(method, head, suffix.toString(), true, handler));
        }
        return this;
    }

    public Match match(String method, String path) {
        boolean pathKnown = false;
        String[] given = path.length() > 1 ? path.substring(1).split("/") : new String[] {""};
        for (Route route : routes) {
            String[] params = route.greedy() ? matchGreedy(route, path) : matchExact(route.segments(), given);
            if (params == null) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(method) || (method.equals("HEAD") && route.method().equals("GET"))) {
                return new Match(route.handler(), params, true);
            }
        }
        return new Match(null, null, pathKnown);
    }

    private static String[] matchExact(String[] pattern, String[] given) {
        if (pattern.length != given.length) {
            return null;
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].startsWith("{")) {
                if (given[i].isEmpty()) {
                    return null;
                }
                params.add(HttpRequest.decode(given[i]));
            } else if (!pattern[i].equals(given[i])) {
                return null;
            }
        }
        return params.toArray(String[]::new);
    }

    private static String[] matchGreedy(Route route, String path) {
        String[] head = route.segments();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < head.length - 1; i++) {
            if (head[i].startsWith("{")) {
                return null; // placeholders before a greedy one are not needed by any route
            }
            prefix.append('/').append(head[i]);
        }
        prefix.append('/');
        if (!path.startsWith(prefix.toString()) || !path.endsWith(route.suffix())) {
            return null;
        }
        int end = path.length() - route.suffix().length();
        if (end <= prefix.length()) {
            return null;
        }
        return new String[] {HttpRequest.decode(path.substring(prefix.length(), end))};
    }
}
