package dev.slipway.engine.cgroup;

import dev.slipway.engine.cgroup.v1.CgroupV1;
import dev.slipway.engine.cgroup.v2.CgroupV2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Picks the cgroup implementation for this host from /proc/self/mountinfo: v2 when /sys/fs/cgroup itself is
 * cgroup2 (the unified layout), otherwise v1 with each controller at its own mount point (the legacy and hybrid
 * layouts; on hybrid hosts the cgroup2 mount at /sys/fs/cgroup/unified holds no controllers Slipway needs).
 */
public final class CgroupDetector {
    private CgroupDetector() {
    }

    public static CgroupManager detect() throws IOException {
        return detect(Path.of("/proc/self/mountinfo"));
    }

    static CgroupManager detect(Path mountinfo) throws IOException {
        Map<String, Path> v1 = new HashMap<>();
        Path unified = null;
        for (String line : Files.readAllLines(mountinfo)) {
            String[] halves = line.split(" - ", 2);
            if (halves.length < 2) {
                continue;
            }
            String[] pre = halves[0].split(" ");
            String[] post = halves[1].split(" ");
            Path mountPoint = Path.of(unescape(pre[4]));
            if (post[0].equals("cgroup2") && mountPoint.equals(Path.of("/sys/fs/cgroup"))) {
                unified = mountPoint;
            } else if (post[0].equals("cgroup") && post.length >= 3) {
                for (String option : post[2].split(",")) {
                    v1.putIfAbsent(option, mountPoint);
                }
            }
        }
        if (unified != null) {
            return new CgroupV2(unified);
        }
        if (!v1.containsKey("memory")) {
            throw new IOException("no usable cgroup hierarchy: neither cgroup2 at /sys/fs/cgroup nor a v1 memory "
                    + "controller is mounted");
        }
        return new CgroupV1(v1);
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && i + 3 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }
}
