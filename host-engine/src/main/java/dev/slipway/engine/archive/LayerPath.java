package dev.slipway.engine.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry name reduced to the components it names inside a root. Leading {@code /} and {@code ./} are
 * dropped (an absolute name is contained in the root, as Docker does); a {@code ..} component is refused
 * outright rather than resolved, since no honest layer needs one and resolving it is where escapes begin.
 */
public record LayerPath(List<String> components) {

    public static LayerPath parse(String name) throws UnsafeLayerException {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new UnsafeLayerException("entry '" + name + "' contains '..'");
            }
            if (part.indexOf('\0') >= 0) {
                throw new UnsafeLayerException("entry '" + name + "' contains a NUL byte");
            }
            parts.add(part);
        }
        return new LayerPath(List.copyOf(parts));
    }

    public boolean isRoot() {
        return components.isEmpty();
    }

    public String base() {
        return components.get(components.size() - 1);
    }

    public List<String> parentComponents() {
        return components.subList(0, components.size() - 1);
    }

    @Override
    public String toString() {
        return "/" + String.join("/", components);
    }
}
