package dev.slipway.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.testing.RuntimeFixture;
import dev.slipway.engine.testing.RuntimeFixture.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Docker's default profile is an allow list: syscalls outside it fail with EPERM even where the kernel would have
 * allowed them. A static probe makes each call once on the host (no filter) and once in a container, so every
 * refusal checked here is the filter's, not the kernel's or a missing capability's.
 */
class SeccompProfileTest {
    private static RuntimeFixture fx;
    private static Path probe;

    /** Calls the kernel answers without EPERM to root on the host, but that the profile does not allow. */
    private static final String PROBE = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <stdio.h>
            #include <string.h>
            #include <sched.h>
            #include <unistd.h>
            #include <sys/socket.h>
            #include <sys/syscall.h>
            static void report(const char *name, long r) {
                printf("%s=%s\\n", name, r < 0 ? strerrorname_np(errno) : "ok");
                errno = 0;
            }
            int main(void) {
                int mode;
                pid_t self = getpid();
                report("get_mempolicy", syscall(SYS_get_mempolicy, &mode, 0, 0, 0, 0));
                report("kcmp", syscall(SYS_kcmp, self, self, 0 /* KCMP_FILE */, 0, 0));
                report("unknown_1000", syscall(1000));
                report("vsock", socket(40 /* AF_VSOCK */, SOCK_STREAM, 0));
                report("personality_addr_no_randomize", syscall(SYS_personality, 0x0040000));
                report("personality_query", syscall(SYS_personality, 0xffffffffL));
                report("clone3", syscall(SYS_clone3, 0, 0));
                return 0;
            }
            """;

    @BeforeAll
    static void setUp() throws Exception {
        fx = RuntimeFixture.get();
        Path source = fx.dataDir.resolve("seccompprobe.c");
        Files.writeString(source, PROBE);
        probe = fx.rootfs.resolve("bin/seccompprobe");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O", "-o", probe.toString(), source.toString())
                .inheritIO().start();
        assertEquals(0, gcc.waitFor(), "gcc -static (libc6-dev) builds the probe");
    }

    @Test
    void syscallsOutsideTheAllowListAreRefusedWithEperm() throws Exception {
        Process host = new ProcessBuilder(probe.toString()).redirectErrorStream(true).start();
        Map<String, String> onHost = parse(new String(host.getInputStream().readAllBytes()));
        assertEquals(0, host.waitFor());
        Result r = fx.run(fx.spec("seccompprobe"));
        Map<String, String> inside = parse(r.stdout());

        for (String call : new String[] {"get_mempolicy", "kcmp", "unknown_1000", "vsock",
                "personality_addr_no_randomize"}) {
            assertNotEquals("EPERM", onHost.get(call), call + " must be answered by the kernel on the host: " + onHost);
            assertEquals("EPERM", inside.get(call), call + " inside the container: " + inside);
        }
        assertEquals("ok", inside.get("personality_query"), "the query form of personality is allowed: " + inside);
        // clone3's flags live in memory a filter cannot read: ENOSYS makes the C library fall back to clone
        assertEquals("ENOSYS", inside.get("clone3"), inside.toString());
    }

    @Test
    void commonToolsStillWork() throws Exception {
        String script = String.join("\n",
                "set -e",
                "mkdir -p /tmp/www && echo served > /tmp/www/index.html",
                "httpd -p 127.0.0.1:8080 -h /tmp/www",
                "wget -q -O - http://127.0.0.1:8080/index.html",
                // httpd forks a child per request that may still be exiting: only ask that ps sees the daemon.
                "ps -o pid,comm | grep -q httpd && echo ps-ok",
                "date +%Y > /dev/null && echo date-ok",
                "sleep 0.1 && echo sleep-ok",
                "top -bn1 | grep -q 'Mem:' && echo top-ok",
                "sh -c 'echo nested-sh-ok'");
        Result r = fx.run(fx.spec("sh", "-c", script));
        assertEquals("served\nps-ok\ndate-ok\nsleep-ok\ntop-ok\nnested-sh-ok\n", r.stdout(), r.stderr());
        assertEquals(0, r.exit().exitCode(), r.stderr());
    }

    private static Map<String, String> parse(String out) {
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            int eq = line.indexOf('=');
            assertTrue(eq > 0, "probe output: " + out);
            results.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return results;
    }
}
