package dev.slipway.engine.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks an image archive ({@code docker save} or OCI layout; tar, gzip'd or not) into a private temp dir so its
 * files can be read in any order. Only files and directories are created; a symlink or hard link between
 * archive members (old {@code docker save} links identical layers) becomes a hard link to the member it names,
 * resolved inside the archive. Names with {@code ..} refuse the archive.
 */
public final class ArchiveExtractor {
    private ArchiveExtractor() {
    }

    public static void extract(InputStream archive, Path dir) throws IOException, UnsafeLayerException {
        Map<Path, Path> links = new LinkedHashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(Decompression.decompressed(archive));
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            LayerPath name = LayerPath.parse(entry.getName());
            if (name.isRoot()) {
                continue;
            }
            Path path = dir.resolve(String.join("/", name.components()));
            if (entry.isDirectory()) {
                Files.createDirectories(path);
            } else if (entry.isSymbolicLink() || entry.isLink()) {
                String target = entry.getLinkName();
                List<String> base = entry.isSymbolicLink() && !target.startsWith("/")
                        ? name.parentComponents() : List.of();
                links.put(path, resolve(dir, base, target, entry.getName()));
            } else if (entry.isFile()) {
                Files.createDirectories(path.getParent());
                Files.copy(tar, path);
            }
        }
        for (Map.Entry<Path, Path> link : links.entrySet()) {
            if (!Files.isRegularFile(link.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafeLayerException("archive link " + dir.relativize(link.getKey())
                        + " does not name a file of the archive");
            }
            Files.createDirectories(link.getKey().getParent());
            Files.createLink(link.getKey(), link.getValue());
        }
    }

    private static Path resolve(Path dir, List<String> base, String target, String raw) throws UnsafeLayerException {
        java.util.ArrayList<String> parts = new java.util.ArrayList<>(base);
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new UnsafeLayerException("archive link '" + raw + "' points outside the archive");
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return dir.resolve(String.join("/", parts));
    }
}
