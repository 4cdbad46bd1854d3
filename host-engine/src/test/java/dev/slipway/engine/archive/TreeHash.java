package dev.slipway.engine.archive;

import dev.slipway.engine.content.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/** A hash of names, types, modes, owners, link targets and contents of trees, to prove nothing changed. */
final class TreeHash {
    private TreeHash() {
    }

    static String of(Path... roots) throws IOException {
        MessageDigest md = Digest.newMessageDigest("sha256");
        for (Path root : roots) {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(root)) {
                paths = walk.sorted().toList();
            }
            for (Path p : paths) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                md.update((p + "|" + a.permissions() + "|" + a.owner() + "|" + a.lastModifiedTime() + "|"
                        + a.size()).getBytes(StandardCharsets.UTF_8));
                if (a.isSymbolicLink()) {
                    md.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
                } else if (a.isRegularFile()) {
                    md.update(Files.readAllBytes(p));
                }
            }
        }
        return Digest.of("sha256", md.digest()).toString();
    }
}
