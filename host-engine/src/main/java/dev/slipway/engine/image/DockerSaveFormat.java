package dev.slipway.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.content.ContentStore;
import dev.slipway.engine.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docker save}'s format: {@code manifest.json} lists each image's config file, {@code RepoTags} and
 * layer files. A member named after its digest ({@code <hex>.json}, {@code blobs/sha256/<hex>}) must hash to it.
 */
final class DockerSaveFormat {

    private static final Pattern DIGEST_NAMED = Pattern.compile("(?:^|/)(?:blobs/(sha256|sha512)/)?([0-9a-f]{64}|[0-9a-f]{128})(?:\\.json)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerSaveFormat() {
    }

    static boolean matches(Path dir) {
        return Files.isRegularFile(dir.resolve("manifest.json"));
    }

    static List<ArchiveImage> read(Path dir, ContentStore content, ImageStore.ProgressListener progress)
            throws IOException, ImageException {
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        if (manifest == null || !manifest.isArray()) {
            throw new ImageException(ImageException.Reason.INVALID, "manifest.json is not a JSON array");
        }
        List<ArchiveImage> images = new ArrayList<>();
        for (JsonNode entry : manifest) {
            Digest config = store(dir, entry.path("Config").asText(""), content);
            List<Digest> layers = new ArrayList<>();
            for (JsonNode layer : entry.path("Layers")) {
                Digest digest = store(dir, layer.asText(), content);
                progress.progress(digest.hex().substring(0, 12), "Loading layer", content.size(digest),
                        content.size(digest));
                layers.add(digest);
            }
            List<String> tags = new ArrayList<>();
            for (JsonNode tag : entry.path("RepoTags")) {
                tags.add(ImageReference.parse(tag.asText()).nameAndTag());
            }
            images.add(new ArchiveImage(config, layers, List.of(), tags, List.of()));
        }
        return images;
    }

    /** Copies an archive member into the content store, verifying it when its name is its digest. */
    private static Digest store(Path dir, String member, ContentStore content) throws IOException, ImageException {
        Path file = member(dir, member);
        Matcher m = DIGEST_NAMED.matcher(member);
        Digest expected = null;
        if (m.find()) {
            String hex = m.group(2);
            expected = new Digest(m.group(1) != null ? m.group(1) : hex.length() == 64 ? "sha256" : "sha512", hex);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return content.write(in, expected, -1);
        } catch (ContentStore.ContentMismatchException e) {
            throw new ImageException(ImageException.Reason.INVALID, "archive member " + member + ": " + e.getMessage(), e);
        }
    }

    /** An archive member's file; names were already checked for {@code ..} when the archive was extracted. */
    static Path member(Path dir, String member) throws ImageException {
        if (member.isEmpty() || member.contains("..")) {
            throw new ImageException(ImageException.Reason.INVALID, "archive names an invalid member '" + member + "'");
        }
        Path file = dir.resolve(member.startsWith("/") ? member.substring(1) : member);
        if (!Files.isRegularFile(file)) {
            throw new ImageException(ImageException.Reason.INVALID, "archive member " + member + " is missing");
        }
        return file;
    }
}
