package dev.slipway.engine.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupDetectorTest {
    @Test
    void thisHybridHostIsDrivenThroughV1() throws IOException {
        assertEquals("v1", CgroupDetector.detect().version());
    }

    @Test
    void aUnifiedMountAtTheUsualPlaceMeansV2(@TempDir Path dir) throws IOException {
        Path mountinfo = dir.resolve("mountinfo");
        Files.writeString(mountinfo, """
                22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw
                35 22 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
                """);
        assertEquals("v2", CgroupDetector.detect(mountinfo).version());
    }
}
