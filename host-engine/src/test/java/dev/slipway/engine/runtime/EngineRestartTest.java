package dev.slipway.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.runtime.RunningContainer.ExitStatus;
import dev.slipway.engine.testing.RuntimeFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Supervision outlives the engine: a separate JVM starts containers and is killed with SIGKILL; this JVM then
 * adopts them from their state dirs alone.
 */
class EngineRestartTest {

    @Test
    void containersSurviveSigkillOfTheEngineAndAreAdoptedWithTheirLogsAndExitCodes() throws Exception {
        RuntimeFixture fx = RuntimeFixture.get();
        String longId = RuntimeFixture.newId();
        String shortId = RuntimeFixture.newId();
        Path longDir = fx.newStateDir();
        Path shortDir = fx.newStateDir();
        String counting = "i=0; while [ $i -lt 100 ]; do echo line$i; i=$((i+1)); sleep 0.05; done";
        Process engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EngineProcessMain.class.getName(), fx.dataDir.toString(), fx.rootfs.toString(),
                longId, longDir.toString(), counting,
                shortId, shortDir.toString(), "sleep 0.5; echo done; exit 7")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(engine.getInputStream()))) {
            assertEquals("started", out.readLine(), "the engine JVM did not start its containers");
        }
        engine.destroyForcibly(); // SIGKILL
        assertTrue(engine.waitFor(10, TimeUnit.SECONDS));

        // adopted while still running: its output keeps arriving and its end is noticed
        RunningContainer counter = fx.runtime.adopt(longDir).orElseThrow();
        assertEquals(longId, counter.id());
        assertTrue(counter.exitStatus().isEmpty(), "the container died with the engine");
        assertTrue(Files.exists(Path.of("/proc", Integer.toString(counter.pid()))));
        ExitStatus exit = counter.onExit().get(30, TimeUnit.SECONDS);
        assertEquals(0, exit.exitCode());
        List<String> lines = new ArrayList<>();
        fx.log.read(longDir, -1, -1, true, r -> true, r -> lines.add(new String(r.bytes())));
        assertEquals(IntStream.range(0, 100).mapToObj(i -> "line" + i).toList(), lines);

        // ended while no engine was watching: the exit code comes from the monitor's record
        RunningContainer ended = fx.runtime.adopt(shortDir).orElseThrow();
        assertEquals(7, ended.exitStatus().orElseThrow().exitCode());
        assertEquals(7, ended.onExit().get(5, TimeUnit.SECONDS).exitCode());
        assertEquals("done\n", fx.output(shortDir, 1));

        counter.destroy();
        ended.destroy();
        assertTrue(fx.runtime.cgroups().find(longId).isEmpty());
        assertTrue(fx.runtime.cgroups().find(shortId).isEmpty());
    }

    @Test
    void adoptOfADirWithoutAContainerFindsNothing() throws Exception {
        RuntimeFixture fx = RuntimeFixture.get();
        assertTrue(fx.runtime.adopt(fx.newStateDir()).isEmpty());
    }
}
