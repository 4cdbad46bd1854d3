package dev.slipway.engine.network;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Which host ports the running containers hold. The packets themselves are forwarded by the kernel (DNAT rules of
 * {@link NftFirewall}); this class only makes the ports the containers' own: each published port is held by a
 * socket bound to the host address and port, which makes a clash with
 * another container or a program on the host fail right at the start, with a clear message, instead of one of the
 * two silently shadowing the other, and keeps other programs off the port while the container runs. A TCP port is
 * held by a listening socket that is never accepted from (a bound but idle socket would not stop a program that
 * sets SO_REUSEADDR from listening), a UDP port by a bound datagram socket.
 *
 * Lifecycle per container: {@link #publish} at start (after its address is known) → {@link #unpublish} when its
 * process ended. The actual ports (random ones included) are kept in {@code <dir>/<container id>}, so that
 * {@link #restore} after an engine restart holds the same ports again and the firewall is rebuilt with them.
 */
final class PortPublisher {

    private static final Logger LOG = Logger.getLogger(PortPublisher.class.getName());

    /** One container's published ports, on the bridge and address its traffic is forwarded to. */
    record Published(String containerId, String bridge, int address, List<PortBinding> ports) {
    }

    private record Held(Published published, List<Closeable> sockets) {
    }

    private final Path dir;
    private final Map<String, Held> byContainer = new LinkedHashMap<>();

    PortPublisher(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Holds the container's wanted ports; all or none (a clash frees what was taken so far). */
    synchronized Published publish(String containerId, String bridge, int address, List<PortBinding> wanted)
            throws IOException {
        unpublish(containerId);
        List<Closeable> sockets = new ArrayList<>();
        List<PortBinding> ports = new ArrayList<>();
        try {
            for (PortBinding want : wanted) {
                NetworkChannel socket = hold(want);
                sockets.add(socket);
                ports.add(want.withHostPort(((InetSocketAddress) socket.getLocalAddress()).getPort()));
            }
            Published published = new Published(containerId, bridge, address, List.copyOf(ports));
            if (!ports.isEmpty()) {
                save(published);
            }
            byContainer.put(containerId, new Held(published, sockets));
            return published;
        } catch (IOException | RuntimeException e) {
            closeAll(sockets);
            throw e;
        }
    }

    private NetworkChannel hold(PortBinding want) throws IOException {
        InetSocketAddress at = new InetSocketAddress(want.shownHostIp(), want.hostPort());
        boolean udp = want.protocol().equals("udp");
        NetworkChannel socket = udp ? DatagramChannel.open(StandardProtocolFamily.INET)
                : ServerSocketChannel.open(StandardProtocolFamily.INET);
        try {
            if (udp) {
                socket.bind(at);
            } else {
                // listening (with SO_REUSEADDR, as Java sets it) is what keeps every other listener off the port
                // and lets a port whose last connections linger in TIME_WAIT be taken again; nothing ever reaches
                // it, since the DNAT rules rewrite every new connection to the port before socket lookup
                ((ServerSocketChannel) socket).bind(at, 1);
            }
            return socket;
        } catch (BindException e) {
            socket.close();
            String what = want.shownHostIp() + ":" + want.hostPort() + "/" + want.protocol();
            Optional<String> owner = byContainer.values().stream()
                    .filter(h -> h.published().ports().stream().anyMatch(p -> p.hostPort() == want.hostPort()
                            && p.protocol().equals(want.protocol())))
                    .map(h -> h.published().containerId().substring(0, 12)).findFirst();
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new NetworkException(NetworkException.Reason.CONFLICT, "Bind for " + what
                        + " failed: port is already allocated" + owner.map(o -> " (by container " + o + ")")
                        .orElse(" (by another program on the host)") + "; choose another host port");
            }
            throw new NetworkException(NetworkException.Reason.INVALID, "Bind for " + what + " failed: "
                    + e.getMessage() + " (is " + want.shownHostIp() + " an address of this host?)");
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Releases the container's ports (idempotent). */
    synchronized boolean unpublish(String containerId) throws IOException {
        Held held = byContainer.remove(containerId);
        Files.deleteIfExists(dir.resolve(containerId));
        if (held == null) {
            return false;
        }
        closeAll(held.sockets());
        return !held.published().ports().isEmpty();
    }

    synchronized List<PortBinding> portsOf(String containerId) {
        Held held = byContainer.get(containerId);
        return held == null ? List.of() : held.published().ports();
    }

    synchronized List<Published> all() {
        return byContainer.values().stream().map(Held::published).filter(p -> !p.ports().isEmpty()).toList();
    }

    /**
     * After an engine restart: holds the recorded ports of containers still running again (a port some other
     * program took meanwhile is logged and left to the firewall rule, which still forwards it), forgets the rest.
     */
    synchronized void restore(Collection<String> runningIds) throws IOException {
        try (var files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String id = f.getFileName().toString();
                if (id.startsWith(".")) {
                    Files.deleteIfExists(f);
                    continue;
                }
                if (!runningIds.contains(id)) {
                    Files.deleteIfExists(f);
                    continue;
                }
                Published published = load(f);
                List<Closeable> sockets = new ArrayList<>();
                for (PortBinding p : published.ports()) {
                    try {
                        sockets.add(hold(p));
                    } catch (IOException e) {
                        LOG.warning("container " + id + ": could not hold published port again: " + e.getMessage());
                    }
                }
                byContainer.put(id, new Held(published, sockets));
            }
        }
    }

    /** The recorded ports of every container, without holding them (for the rules at engine start). */
    List<Published> recorded() throws IOException {
        List<Published> all = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, f -> !f.getFileName().toString().startsWith("."))) {
            for (Path f : files) {
                all.add(load(f));
            }
        }
        return all;
    }

    private void save(Published p) throws IOException {
        StringBuilder text = new StringBuilder(p.bridge() + " " + Ipv4Subnet.format(p.address()) + "\n");
        for (PortBinding b : p.ports()) {
            text.append(b.protocol()).append(' ').append(b.containerPort()).append(' ').append(b.shownHostIp())
                    .append(' ').append(b.hostPort()).append('\n');
        }
        Path tmp = Files.createTempFile(dir, ".ports", "");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(p.containerId()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Published load(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        try {
            String[] head = lines.get(0).split(" ");
            List<PortBinding> ports = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] t = line.split(" ");
                ports.add(new PortBinding(t[0], Integer.parseInt(t[1]), t[2], Integer.parseInt(t[3])));
            }
            return new Published(f.getFileName().toString(), head[0], Ipv4Subnet.parseAddress(head[1]),
                    List.copyOf(ports));
        } catch (RuntimeException e) {
            throw new IOException("unreadable published-ports file " + f + ": " + e.getMessage());
        }
    }

    private static void closeAll(List<Closeable> sockets) {
        for (Closeable s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a bound socket that never connected cannot lose anything
            }
        }
    }
}
