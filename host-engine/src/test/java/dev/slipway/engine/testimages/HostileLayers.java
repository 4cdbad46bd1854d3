package dev.slipway.engine.testimages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers that try to change something outside the snapshot they are unpacked into. Each must be refused or
 * contained by {@code LayerUnpacker}; the tests check a tree hash of the host outside the data dir.
 */
public final class HostileLayers {
    private HostileLayers() {
    }

    /** Name of the file every hostile layer tries to create or change outside the rootfs. */
    public static final String TARGET = "slipway-hostile-was-here";

    /** Hostile layers by name; {@code sentinel} is an absolute host dir the layers aim at. */
    public static Map<String, byte[]> all(String sentinel) {
        String rel = sentinel.startsWith("/") ? sentinel.substring(1) : sentinel;
        Map<String, byte[]> layers = new LinkedHashMap<>();
        layers.put("path-traversal", new LayerBuilder()
                .file("../../../../../../../../" + rel + "/" + TARGET, "x").tar());
        layers.put("traversal-in-middle", new LayerBuilder()
                .dir("a", 0755).file("a/../../../../../../../../" + rel + "/" + TARGET, "x").tar());
        layers.put("absolute-path", new LayerBuilder()
                .file(sentinel + "/" + TARGET, "x").file("/etc/" + TARGET, "x").tar());
        layers.put("symlink-to-root-then-write", new LayerBuilder()
                .symlink("escape", "/").file("escape/" + rel + "/" + TARGET, "x").tar());
        layers.put("symlink-to-etc-then-write", new LayerBuilder()
                .symlink("etc", "/etc").file("etc/passwd", "root::0:0::/:/bin/sh\n").tar());
        layers.put("relative-symlink-escape", new LayerBuilder()
                .symlink("up", "../../../../../../../../..").file("up/" + rel + "/" + TARGET, "x").tar());
        layers.put("symlink-replacing-dir", new LayerBuilder()
                .dir("d", 0755).symlink("d", sentinel).file("d/" + TARGET, "x").tar());
        layers.put("hardlink-to-host-passwd", new LayerBuilder()
                .hardlink("passwd", "/etc/passwd").tar());
        layers.put("hardlink-traversal", new LayerBuilder()
                .hardlink("passwd", "../../../../../../../../etc/passwd").tar());
        layers.put("hardlink-through-symlink", new LayerBuilder()
                .symlink("hostetc", "/etc").hardlink("passwd", "hostetc/passwd").tar());
        layers.put("device-node", new LayerBuilder()
                .dir("dev", 0755).charDevice("dev/mem", 1, 1).tar());
        layers.put("whiteout-traversal", new LayerBuilder()
                .file("../../../../../../../../" + rel + "/.wh." + TARGET, "").tar());
        return layers;
    }

    /** Layers a safe engine contains rather than refuses: an absolute name lands inside the rootfs, a device node is skipped. */
    public static final List<String> CONTAINED = List.of("absolute-path", "device-node");

    /**
     * Writes each hostile layer as a {@code docker save} archive {@code hostile-<name>.tar} (busybox below it,
     * tagged {@code hostile-<name>:latest}) into {@code dir}, aimed at {@code sentinel}; returns the files.
     */
    public static List<Path> writeArchives(Path dir, String sentinel) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> layer : all(sentinel).entrySet()) {
            TestImage image = TestImage.of(List.of(), List.of("sh"), TestImages.ENV, TestImages.busyboxLayer(),
                    layer.getValue());
            files.add(ImageArchives.writeDockerSave(dir.resolve("hostile-" + layer.getKey() + ".tar"), image,
                    "hostile-" + layer.getKey() + ":latest"));
        }
        return files;
    }
}
