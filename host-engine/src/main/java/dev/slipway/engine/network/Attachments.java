package dev.slipway.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which networks a container belongs to, from its create until its removal, kept in
 * {@code <dir>/<container id>}: its name and tenant (the names it answers to in DNS, and whose networks it may
 * join) and one entry per network, numbered by interface ({@code 0} is the network it was created on,
 * {@code eth0}; {@code docker network connect} adds {@code eth1}, {@code eth2}...).
 */
final class Attachments {

    /** One network of a container: its name, the interface number inside, the extra DNS names there. */
    record Attachment(String network, int index, List<String> aliases) {
        Attachment {
            aliases = List.copyOf(aliases);
        }
    }

    /** Everything recorded for one container; {@code networks} is empty for {@code none} and {@code host}. */
    record Entry(String containerName, String tenant, List<Attachment> networks) {
        Entry {
            networks = List.copyOf(networks);
        }

        Optional<Attachment> on(String network) {
            return networks.stream().filter(a -> a.network().equals(network)).findFirst();
        }

        Entry with(Attachment added) {
            List<Attachment> all = new ArrayList<>(networks);
            all.add(added);
            return new Entry(containerName, tenant, all);
        }

        Entry without(String network) {
            return new Entry(containerName, tenant, networks.stream().filter(a -> !a.network().equals(network))
                    .toList());
        }

        int nextIndex() {
            return networks.stream().mapToInt(Attachment::index).max().orElse(-1) + 1;
        }
    }

    private final Path dir;

    Attachments(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Optional<Entry> get(String containerId) throws IOException {
        Path f = dir.resolve(containerId);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        String name = "";
        String tenant = null;
        List<Attachment> networks = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            String[] t = line.split(" ");
            switch (t[0]) {
                case "name" -> name = t[1];
                case "tenant" -> tenant = t[1];
                case "net" -> networks.add(new Attachment(t[1], Integer.parseInt(t[2]),
                        t.length > 3 ? Arrays.asList(t[3].split(",")) : List.of()));
                default -> throw new IOException("unexpected line in " + f + ": " + line);
            }
        }
        return Optional.of(new Entry(name, tenant, networks));
    }

    void put(String containerId, Entry e) throws IOException {
        StringBuilder text = new StringBuilder("name ").append(e.containerName()).append('\n');
        if (e.tenant() != null) {
            text.append("tenant ").append(e.tenant()).append('\n');
        }
        for (Attachment a : e.networks()) {
            text.append("net ").append(a.network()).append(' ').append(a.index());
            if (!a.aliases().isEmpty()) {
                text.append(' ').append(String.join(",", a.aliases()));
            }
            text.append('\n');
        }
        Path tmp = Files.createTempFile(dir, ".attach", "");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(containerId), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void remove(String containerId) throws IOException {
        Files.deleteIfExists(dir.resolve(containerId));
    }

    /** Every container attached to {@code network}. */
    List<String> members(String network) throws IOException {
        List<String> ids = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, f -> !f.getFileName().toString().startsWith("."))) {
            for (Path f : files) {
                String id = f.getFileName().toString();
                if (get(id).flatMap(e -> e.on(network)).isPresent()) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Drops the entries of containers that no longer exist. */
    void retainOnly(java.util.Collection<String> containerIds) throws IOException {
        try (var files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!containerIds.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
