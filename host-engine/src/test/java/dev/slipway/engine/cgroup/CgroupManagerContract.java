package dev.slipway.engine.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.runtime.RunningContainer.CgroupStats;
import dev.slipway.engine.runtime.RuntimeSpec.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle every {@link CgroupManager} implements (see its Javadoc), against the real kernel. Each
 * implementation's test extends this class and says which hierarchy to use.
 */
public abstract class CgroupManagerContract {
    private final List<Cgroup> created = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** The manager under test, on a real hierarchy. */
    protected abstract CgroupManager manager() throws IOException;

    /** The directories that make up the group {@code name} (to check they come and go). */
    protected abstract List<Path> directories(String name);

    protected static String newName() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    protected Cgroup create(Resources limits) throws IOException {
        Cgroup g = manager().create(newName(), limits);
        created.add(g);
        return g;
    }

    protected Process sleeper() throws IOException {
        Process p = new ProcessBuilder("sleep", "600").start();
        processes.add(p);
        return p;
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Cgroup g : created) {
            g.destroy();
        }
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void createMakesAnEmptyGroupThatFindSees() throws IOException {
        Cgroup g = create(Resources.NONE);
        for (Path dir : directories(g.name())) {
            assertTrue(Files.isDirectory(dir), dir.toString());
        }
        assertEquals(List.of(), g.pids());
        assertEquals(g.name(), manager().find(g.name()).orElseThrow().name());
        assertEquals(0, g.oomKills());
    }

    @Test
    void creatingAnExistingNameFails() throws IOException {
        Cgroup g = create(Resources.NONE);
        IOException e = assertThrows(IOException.class, () -> manager().create(g.name(), Resources.NONE));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void namesThatCouldLeaveTheParentAreRefused() {
        for (String bad : List.of("../x", "ABC", "", "a/b", "0".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> manager().create(bad, Resources.NONE), bad);
        }
    }

    @Test
    void processesJoinAndAreCounted() throws Exception {
        Cgroup g = create(Resources.NONE);
        Process p = sleeper();
        g.addProcess((int) p.pid());
        assertEquals(List.of((int) p.pid()), g.pids());
        CgroupStats stats = g.stats();
        assertEquals(1, stats.pidsCurrent());
        assertTrue(stats.cpuUsageNanos() >= 0, stats.toString());
    }

    @Test
    void aProcessJoinsByWritingZeroToTheProcsFiles() throws Exception {
        Cgroup g = create(Resources.NONE);
        List<String> command = new ArrayList<>(List.of("sh", "-c"));
        StringBuilder script = new StringBuilder();
        for (Path procs : g.procsFiles()) {
            script.append("echo 0 > ").append(procs).append("; ");
        }
        command.add(script + "exec sleep 600");
        Process p = new ProcessBuilder(command).start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!g.pids().contains((int) p.pid()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of((int) p.pid()), g.pids());
    }

    @Test
    void killAllEndsEveryProcessAndDestroyRemovesTheGroup() throws Exception {
        Cgroup g = create(Resources.NONE);
        Process a = sleeper();
        Process b = sleeper();
        g.addProcess((int) a.pid());
        g.addProcess((int) b.pid());
        g.killAll();
        assertTrue(a.waitFor(5, TimeUnit.SECONDS) && b.waitFor(5, TimeUnit.SECONDS));
        assertEquals(List.of(), g.pids());
        Process c = sleeper();
        g.addProcess((int) c.pid());
        g.destroy();
        assertTrue(c.waitFor(5, TimeUnit.SECONDS), "destroy must kill what is left");
        for (Path dir : directories(g.name())) {
            assertFalse(Files.exists(dir), dir.toString());
        }
        assertTrue(manager().find(g.name()).isEmpty());
        g.destroy(); // idempotent
    }
}
