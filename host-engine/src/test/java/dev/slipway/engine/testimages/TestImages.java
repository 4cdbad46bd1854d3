package dev.slipway.engine.testimages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small images built from this host's {@code /bin/busybox} (Debian's busybox-static), so no test needs a registry
 * on the internet.
 *
 * <pre>
 *   TestImage image = TestImages.busybox();                 // one layer: busybox + applet links + /etc
 *   TestImage two = TestImages.busyboxTwoLayers();          // + /hello.txt, /etc/motd deleted, /opt opaque
 *   ImageArchives.writeDockerSave(dir.resolve("busybox.tar"), image, "busybox:latest");
 *   ImageArchives.writeOciArchive(dir.resolve("busybox-oci.tar"), image, "busybox:latest");
 * </pre>
 *
 * From a shell: {@code java -cp <test classpath> dev.slipway.engine.testimages.TestImages <dir>} writes
 * {@code busybox.tar} (docker save) and {@code busybox-oci.tar} (OCI) into {@code <dir>}.
 */
public final class TestImages {

    public static final Path BUSYBOX = Path.of("/bin/busybox");
    public static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    private TestImages() {
    }

    /** The busybox image: {@code sh} as its command, busybox and every applet as a symlink in {@code /bin}. */
    public static TestImage busybox() throws IOException {
        return TestImage.of(List.of(), List.of("sh"), ENV, busyboxLayer());
    }

    /**
     * busybox plus a second layer that adds {@code /hello.txt} ("hello from layer 2"), deletes {@code /etc/motd}
     * by whiteout, and makes {@code /opt} opaque (hiding {@code /opt/old.txt}, adding {@code /opt/new.txt}).
     */
    public static TestImage busyboxTwoLayers() throws IOException {
        byte[] second = new LayerBuilder()
                .file("hello.txt", "hello from layer 2\n")
                .dir("etc", 0755).whiteout("etc/motd")
                .dir("opt", 0755).opaque("opt").file("opt/new.txt", "new\n")
                .tar();
        return TestImage.of(List.of(), List.of("sh"), ENV, busyboxLayer(), second);
    }

    /** The base layer: a minimal rootfs with busybox, applet symlinks, /etc/passwd, /etc/motd and /opt/old.txt. */
    public static byte[] busyboxLayer() throws IOException {
        byte[] layer = busyboxLayer;
        if (layer == null) {
            layer = buildBusyboxLayer();
            busyboxLayer = layer;
        }
        return layer.clone();
    }

    private static volatile byte[] busyboxLayer;

    private static byte[] buildBusyboxLayer() throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IllegalStateException("/bin/busybox is missing: install Debian's busybox-static");
        }
        LayerBuilder layer = new LayerBuilder()
                .dir("bin", 0755).hostFile("bin/busybox", BUSYBOX, 0755);
        for (String applet : applets()) {
            if (!applet.equals("busybox")) {
                layer.symlink("bin/" + applet, "busybox");
            }
        }
        return layer
                .dir("dev", 0755).dir("proc", 0555).dir("sys", 0555).dir("tmp", 01777).dir("root", 0700)
                .dir("home", 0755).dir("var", 0755).dir("usr", 0755).dir("usr/bin", 0755)
                .dir("etc", 0755)
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n")
                .file("etc/group", "root:x:0:\nnogroup:x:65534:\n")
                .file("etc/motd", "welcome to the slipway test image\n")
                .dir("opt", 0755).file("opt/old.txt", "old\n")
                .tar();
    }

    private static List<String> applets() throws IOException {
        Process process = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("busybox --list failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
    }

    /**
     * Writes {@code busybox.tar} (docker save, tagged busybox:latest) and {@code busybox-oci.tar} into args[0];
     * with {@code --hostile <sentinel dir>} also {@code hostile-<name>.tar} for each {@link HostileLayers} layer.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        TestImage image = busybox();
        ImageArchives.writeDockerSave(dir.resolve("busybox.tar"), image, "busybox:latest");
        ImageArchives.writeOciArchive(dir.resolve("busybox-oci.tar"), image, "busybox:latest");
        System.out.println(dir.resolve("busybox.tar") + "\n" + dir.resolve("busybox-oci.tar") + "\nimage id "
                + image.id());
        if (args.length > 2 && args[1].equals("--hostile")) {
            HostileLayers.writeArchives(dir, args[2]).forEach(System.out::println);
        }
    }
}
