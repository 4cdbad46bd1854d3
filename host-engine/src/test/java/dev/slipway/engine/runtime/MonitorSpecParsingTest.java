package dev.slipway.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The C program's own checks of its arguments and launch spec: exit 2 with a message, nothing started. */
class MonitorSpecParsingTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String stderr, String stdout) {
    }

    private Outcome run(String... args) throws IOException, InterruptedException {
        Path binary = MonitorBinary.install(dir.resolve("data"));
        String[] command = new String[args.length + 1];
        command[0] = binary.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Outcome(p.waitFor(), err, out);
    }

    @Test
    void usageErrors() throws Exception {
        assertEquals(new Outcome(2, "usage: slipway-monitor run|exec <spec-file>", ""), run());
        assertEquals(new Outcome(2, "usage: slipway-monitor run|exec <spec-file>", ""), run("start", "x"));
        Outcome missing = run("run", dir.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.stderr().endsWith("No such file or directory"), missing.stderr());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "state_dir=/tmp\\nrootfs=/r\\narg=sh\\nbogus=1|spec line 4: unknown key 'bogus'",
        "state_dir=/tmp\\nno equals sign|spec line 2: expected key=value",
        "state_dir=/tmp\\nrootfs=/r\\narg=a\\\\qb|spec line 3: bad escape in value of 'arg'",
        "state_dir=/tmp\\nrootfs=/r|spec line 2: at least one arg is required",
        "state_dir=relative\\nrootfs=/r\\narg=sh|spec line 3: state_dir (absolute path) is required",
        "state_dir=/tmp\\narg=sh|spec line 2: rootfs (absolute path) is required",
        "state_dir=/tmp\\nrootfs=/r\\narg=sh\\ntty=2|spec line 4: tty must be 0 or 1",
        "state_dir=/tmp\\nrootfs=/r\\narg=sh\\ncap=64|spec line 4: cap must be a capability number 0-63",
        "state_dir=/tmp\\nrootfs=/r\\narg=sh\\nnet=bridge|spec line 4: net must be new, host or join:/path",
        "state_dir=/tmp\\nrootfs=/r\\narg=sh\\nlog_max_bytes=10|spec line 4: log_max_bytes must be at least 4096",
        "state_dir=/tmp\\nrootfs=/r\\narg=sh\\ncwd=rel|spec line 4: cwd must be absolute",
    })
    void badSpecsAreRefusedWithTheLineAndReason(String spec, String message) throws Exception {
        Path file = dir.resolve("spec");
        Files.writeString(file, spec.replace("\\n", "\n").replace("\\\\", "\\") + "\n");
        assertEquals(new Outcome(2, message, ""), run("run", file.toString()));
    }

    @Test
    void execModeNeedsTheContainersPid() throws Exception {
        Path file = dir.resolve("spec");
        Files.writeString(file, "state_dir=/tmp\narg=ps\n");
        assertEquals(new Outcome(2, "spec line 2: exec needs pid", ""), run("exec", file.toString()));
    }
}
