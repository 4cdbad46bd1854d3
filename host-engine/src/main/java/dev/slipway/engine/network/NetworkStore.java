package dev.slipway.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * User-defined networks on disk: {@code <dir>/<id>/network} (a small line format: one {@code key value} per line,
 * labels as {@code label key=value}), written by rename so a crash leaves the old or the new record, never half of
 * one; the network's leases live beside it in {@code <dir>/<id>/leases}.
 */
final class NetworkStore {

    private final Path dir;

    NetworkStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Path leases(String id) {
        return dir.resolve(id).resolve("leases");
    }

    List<NetworkRecord> loadAll() throws IOException {
        List<NetworkRecord> all = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path d : dirs) {
                Path f = d.resolve("network");
                if (Files.isRegularFile(f)) {
                    all.add(parse(Files.readAllLines(f, StandardCharsets.UTF_8), f));
                }
            }
        }
        return all;
    }

    void save(NetworkRecord n) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("id ").append(n.id()).append('\n')
                .append("name ").append(n.name()).append('\n')
                .append("bridge ").append(n.bridge()).append('\n')
                .append("subnet ").append(n.subnet()).append('\n')
                .append("internal ").append(n.internal()).append('\n')
                .append("created ").append(n.created()).append('\n');
        n.labels().forEach((k, v) -> text.append("label ").append(k).append('=').append(v.replace('\n', ' '))
                .append('\n'));
        Path d = Files.createDirectories(dir.resolve(n.id()));
        Path tmp = Files.createTempFile(d, ".network", "");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, d.resolve("network"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void delete(String id) throws IOException {
        dev.slipway.engine.archive.FileTrees.delete(dir.resolve(id));
    }

    private static NetworkRecord parse(List<String> lines, Path f) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String line : lines) {
            int sp = line.indexOf(' ');
            if (sp < 0) {
                continue;
            }
            String key = line.substring(0, sp);
            String value = line.substring(sp + 1);
            if (key.equals("label")) {
                int eq = value.indexOf('=');
                labels.put(eq < 0 ? value : value.substring(0, eq), eq < 0 ? "" : value.substring(eq + 1));
            } else {
                fields.put(key, value);
            }
        }
        try {
            return new NetworkRecord(fields.get("id"), fields.get("name"), fields.get("bridge"),
                    Ipv4Subnet.parse(fields.get("subnet")), Boolean.parseBoolean(fields.get("internal")), labels,
                    Instant.parse(fields.get("created")));
        } catch (RuntimeException e) {
            throw new IOException("unreadable network record " + f + ": " + e.getMessage());
        }
    }
}
