package dev.slipway.engine.cgroup.v1;

import dev.slipway.engine.cgroup.Cgroup;
import dev.slipway.engine.cgroup.CgroupLimits;
import dev.slipway.engine.cgroup.CgroupManager;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cgroup v1: one directory per hierarchy, {@code <mount>/slipway/<name>}, for memory, cpu, cpuacct, pids,
 * devices and freezer (cpu and cpuacct may share a mount; the directory is then created once). cpuset and
 * blkio are left to the parent: a new cpuset group would need cpus and mems copied in before use.
 */
public final class CgroupV1 implements CgroupManager {
    static final String PARENT = "slipway";
    private static final List<Controller> CONTROLLERS = List.of(
            new Memory(), new Cpu(), new CpuAccounting(), new Pids(), new Devices(), new Freezer());

    private final Map<String, Path> mounts;

    /** @param mounts controller name to the mount point of its hierarchy, as in /proc/self/mountinfo */
    public CgroupV1(Map<String, Path> mounts) {
        for (Controller c : CONTROLLERS) {
            if (!mounts.containsKey(c.subsystem())) {
                throw new IllegalStateException("cgroup v1 controller " + c.subsystem() + " is not mounted");
            }
        }
        this.mounts = Map.copyOf(mounts);
    }

    @Override
    public String version() {
        return "v1";
    }

    @Override
    public Cgroup create(String name, Resources limits) throws IOException {
        CgroupManager.checkName(name);
        CgroupLimits.check(limits);
        V1Group group = new V1Group(name, dirs(name));
        List<Path> created = new ArrayList<>();
        try {
            for (Path dir : group.uniqueDirs()) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir);
                created.add(dir);
            }
            group.apply(limits);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cgroup " + name + " already exists", e);
        } catch (IOException | RuntimeException e) {
            for (Path dir : created) {
                Files.deleteIfExists(dir);
            }
            throw e;
        }
        return group;
    }

    @Override
    public Optional<Cgroup> find(String name) {
        CgroupManager.checkName(name);
        V1Group group = new V1Group(name, dirs(name));
        return Files.isDirectory(group.dir("memory")) ? Optional.of(group) : Optional.empty();
    }

    private Map<Controller, Path> dirs(String name) {
        Map<Controller, Path> dirs = new LinkedHashMap<>();
        for (Controller c : CONTROLLERS) {
            dirs.put(c, mounts.get(c.subsystem()).resolve(PARENT).resolve(name));
        }
        return dirs;
    }

    static List<Controller> controllers() {
        return CONTROLLERS;
    }
}
