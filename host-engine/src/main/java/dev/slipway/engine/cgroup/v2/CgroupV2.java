package dev.slipway.engine.cgroup.v2;

import dev.slipway.engine.cgroup.Cgroup;
import dev.slipway.engine.cgroup.CgroupFiles;
import dev.slipway.engine.cgroup.CgroupLimits;
import dev.slipway.engine.cgroup.CgroupManager;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * cgroup v2: one directory {@code <root>/slipway/<name>}. The controllers that the hierarchy offers (of memory,
 * cpu, pids) are enabled in the subtree_control of the root and of slipway/, so every container group has them.
 * A limit whose controller the hierarchy does not offer is refused with an error naming it, rather than
 * silently not enforced.
 */
public final class CgroupV2 implements CgroupManager {
    static final String PARENT = "slipway";
    private static final List<Controller> CONTROLLERS = List.of(new Memory(), new Cpu(), new Pids());

    private final Path root;

    public CgroupV2(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        return "v2";
    }

    /** Controllers the hierarchy offers and Slipway uses. */
    List<Controller> available() throws IOException {
        Set<String> offered = Set.of(CgroupFiles.read(root.resolve("cgroup.controllers")).split("\\s+"));
        return CONTROLLERS.stream().filter(c -> offered.contains(c.name())).toList();
    }

    @Override
    public Cgroup create(String name, Resources limits) throws IOException {
        CgroupManager.checkName(name);
        CgroupLimits.check(limits);
        List<Controller> controllers = available();
        for (Controller c : CONTROLLERS) {
            if (c.needed(limits) && !controllers.contains(c)) {
                throw new IOException("the " + c.name() + " controller is not available in the cgroup2 hierarchy at "
                        + root + " (it is bound to a v1 hierarchy); cannot enforce " + limits);
            }
        }
        Path parent = root.resolve(PARENT);
        Files.createDirectories(parent);
        enable(root, controllers);
        enable(parent, controllers);
        Path dir = parent.resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cgroup " + name + " already exists", e);
        }
        V2Group group = new V2Group(name, dir, controllers);
        try {
            group.apply(limits);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(dir);
            throw e;
        }
        return group;
    }

    private static void enable(Path dir, List<Controller> controllers) throws IOException {
        List<String> words = new ArrayList<>();
        for (Controller c : controllers) {
            words.add("+" + c.name());
        }
        if (!words.isEmpty()) {
            CgroupFiles.write(dir.resolve("cgroup.subtree_control"), String.join(" ", words));
        }
    }

    @Override
    public Optional<Cgroup> find(String name) throws IOException {
        CgroupManager.checkName(name);
        Path dir = root.resolve(PARENT).resolve(name);
        return Files.isDirectory(dir) ? Optional.of(new V2Group(name, dir, available())) : Optional.empty();
    }
}
