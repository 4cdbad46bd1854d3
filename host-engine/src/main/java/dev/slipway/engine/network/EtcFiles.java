package dev.slipway.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf} into the container's writable
 * layer before it starts (so they are ordinary files inside: a user's edit sticks, exec sees them). The image is
 * untrusted, so nothing is followed: an {@code /etc} that is a symlink is refused, and each file is replaced by
 * rename(2) of a file written next to it, which replaces a symlink rather than writing through it. No container
 * process runs at this point, so nothing can swap the path in between.
 */
final class EtcFiles {

    private EtcFiles() {
    }

    static void write(Path rootfs, String hostname, String address, List<String> aliases, List<String> resolvConf)
            throws IOException {
        Path etc = rootfs.resolve("etc");
        if (Files.isSymbolicLink(etc)) {
            throw new IOException("the image's /etc is a symbolic link; refusing to write network files through it");
        }
        if (!Files.exists(etc, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(etc);
        }
        StringBuilder hosts = new StringBuilder("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                ff00::0\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                """);
        hosts.append(address).append('\t').append(hostname);
        for (String alias : aliases) {
            if (!alias.equals(hostname)) {
                hosts.append(' ').append(alias);
            }
        }
        hosts.append('\n');
        replace(etc, "hosts", hosts.toString());
        replace(etc, "hostname", hostname + "\n");
        replace(etc, "resolv.conf", String.join("\n", resolvConf) + "\n");
    }

    private static void replace(Path etc, String name, String content) throws IOException {
        Path tmp = Files.createTempFile(etc, "." + name, ".slipway");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, etc.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The host's resolver settings minus loopback nameservers (a resolver on the host's 127.0.0.1 is unreachable
     * from the container's own loopback).
     */
    static List<String> hostResolvConf(Path hostFile) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isRegularFile(hostFile)) {
            return lines;
        }
        for (String line : Files.readAllLines(hostFile, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("nameserver") && (t.contains(" 127.") || t.contains("::1"))) {
                continue;
            }
            if (t.startsWith("nameserver") || t.startsWith("search") || t.startsWith("options")) {
                lines.add(t);
            }
        }
        return lines;
    }
}
