package dev.slipway.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * IP address management for one network: which container holds which address, kept on disk so that it survives
 * an engine restart. Each lease is one file named for the address and holding the owner's id. A lease is taken
 * by hard-linking a fully written temporary file to that name, which fails if the name exists: the take is atomic
 * (no half-written lease is ever visible, a crash leaves at most a stray temporary file) and no address can be
 * given to two owners. Leases are looked up by owner; an owner holds at most one address per network.
 *
 * Lifecycle: construct (loads the leases on disk) → {@link #lease} when a container first starts on the network
 * (idempotent: the same container gets its address back) → {@link #release} when it is removed →
 * {@link #retainOnly} after an engine restart, to drop leases of containers that no longer exist.
 *
 * Addresses are handed out next-fit (from after the last one taken), so a just-released address is the last to be
 * reused.
 */
public final class AddressPool {

    private final Ipv4Subnet subnet;
    private final Path dir;
    private final Map<String, Integer> byOwner = new HashMap<>();
    private final Set<Integer> taken = new HashSet<>();
    private int cursor;

    public AddressPool(Ipv4Subnet subnet, Path dir) throws IOException {
        if (subnet.assignableCount() < 1) {
            throw new IllegalArgumentException("subnet " + subnet + " has no address for containers");
        }
        this.subnet = subnet;
        this.dir = dir;
        Files.createDirectories(dir);
        try (var files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    Files.deleteIfExists(f); // a temporary file left by a crash between write and link
                    continue;
                }
                int address = Ipv4Subnet.parseAddress(name);
                String owner = Files.readString(f, StandardCharsets.UTF_8).strip();
                if (!subnet.contains(address) || owner.isEmpty()) {
                    throw new IOException("unexpected lease file " + f + " (subnet " + subnet + ")");
                }
                byOwner.put(owner, address);
                taken.add(address);
            }
        }
    }

    public Ipv4Subnet subnet() {
        return subnet;
    }

    /** The owner's address, taking a free one if it holds none. */
    public synchronized int lease(String owner) throws IOException {
        Integer held = byOwner.get(owner);
        if (held != null) {
            return held;
        }
        int count = subnet.assignableCount();
        if (taken.size() >= count) {
            throw new IOException("no free address left in " + subnet);
        }
        Path tmp = Files.createTempFile(dir, ".lease", "");
        try {
            Files.writeString(tmp, owner + "\n", StandardCharsets.UTF_8);
            for (int i = 0; i < count; i++) {
                int address = subnet.assignable((cursor + i) % count);
                if (taken.contains(address)) {
                    continue;
                }
                try {
                    Files.createLink(dir.resolve(Ipv4Subnet.format(address)), tmp);
                } catch (FileAlreadyExistsException e) {
                    taken.add(address); // leased by someone sharing the directory
                    continue;
                }
                cursor = (cursor + i + 1) % count;
                taken.add(address);
                byOwner.put(owner, address);
                return address;
            }
            throw new IOException("no free address left in " + subnet);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public synchronized Optional<Integer> addressOf(String owner) {
        return Optional.ofNullable(byOwner.get(owner));
    }

    /** Frees the owner's address, if it holds one. */
    public synchronized void release(String owner) throws IOException {
        Integer address = byOwner.get(owner);
        if (address == null) {
            return;
        }
        Files.deleteIfExists(dir.resolve(Ipv4Subnet.format(address)));
        byOwner.remove(owner);
        taken.remove(address);
    }

    /** Releases every lease whose owner is not among {@code owners}. */
    public synchronized void retainOnly(Collection<String> owners) throws IOException {
        for (String owner : Set.copyOf(byOwner.keySet())) {
            if (!owners.contains(owner)) {
                release(owner);
            }
        }
    }

    public synchronized Map<String, Integer> leases() {
        return Map.copyOf(byOwner);
    }
}
