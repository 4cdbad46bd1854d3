package dev.slipway.engine.network;

import dev.slipway.engine.runtime.RuntimeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bridge networking with iproute2's {@code ip} (one {@code ip -batch} process for the host side and one, inside
 * the namespace through {@code nsenter}, for the container side: a handful of well-known, debuggable commands
 * instead of a netlink implementation in the engine) and nftables for filtering and NAT ({@link NftFirewall}).
 *
 * Per container: a namespace pinned at {@code <netnsDir>/<id>}, a veth pair whose host end {@code sv<id prefix>}
 * is a port of the bridge and whose other end is {@code eth0} inside, an address leased from {@link AddressPool},
 * a MAC derived from the address (02:42 + the four octets, as Docker does, so a reused address never meets a
 * stale ARP entry with another MAC), and the default route via the bridge's address.
 */
public final class BridgeNetworking implements ContainerNetworking {

    private static final Logger LOG = Logger.getLogger(BridgeNetworking.class.getName());
    public static final String NETWORK_NAME = "bridge";

    private final BridgeConfig config;
    private final AddressPool pool;
    private final NftFirewall firewall;

    private BridgeNetworking(BridgeConfig config, AddressPool pool, NftFirewall firewall) {
        this.config = config;
        this.pool = pool;
        this.firewall = firewall;
    }

    /**
     * Sets up (or finds) the bridge and rebuilds the engine's rules. Refuses a pool that overlaps a route of the
     * host not through this bridge, since containers could then not reach that network (or would shadow it).
     */
    public static BridgeNetworking start(BridgeConfig config) throws IOException {
        Optional<HostRoutes.Route> clash = HostRoutes.overlapping(HostRoutes.read(), config.subnet(), config.bridge());
        if (clash.isPresent()) {
            throw new IOException("bridge subnet " + config.subnet() + " overlaps the host's route \""
                    + clash.get().line() + "\"; choose another with --bridge-subnet");
        }
        String gateway = Ipv4Subnet.format(config.subnet().gateway()) + "/" + config.subnet().prefix();
        StringBuilder batch = new StringBuilder();
        if (!Files.exists(Path.of("/sys/class/net", config.bridge()))) {
            batch.append("link add ").append(config.bridge()).append(" type bridge\n");
        }
        batch.append("addr replace ").append(gateway).append(" dev ").append(config.bridge()).append('\n')
                .append("link set ").append(config.bridge()).append(" up\n");
        HostCommand.run(List.of("ip", "-batch", "-"), batch.toString());
        enableForwarding();
        NftFirewall firewall = new NftFirewall("slipway_" + config.bridge().replaceAll("[^A-Za-z0-9_]", "_"));
        firewall.apply(List.of(new NftFirewall.NetworkRules(config.bridge(), config.subnet(), config.egress())));
        AddressPool pool = new AddressPool(config.subnet(), config.stateDir().resolve(NETWORK_NAME));
        return new BridgeNetworking(config, pool, firewall);
    }

    private static void enableForwarding() throws IOException {
        Path forward = Path.of("/proc/sys/net/ipv4/ip_forward");
        if (!Files.readString(forward).strip().equals("1")) {
            LOG.info("enabling IPv4 forwarding (net.ipv4.ip_forward=1) for bridge networking");
            Files.writeString(forward, "1");
        }
    }

    public BridgeConfig config() {
        return config;
    }

    @Override
    public RuntimeSpec.Network prepare(String id, String mode, String hostname, Path rootfs) throws IOException {
        switch (mode) {
            case "host" -> {
                return new RuntimeSpec.Network.Host();
            }
            case "none" -> {
                return new RuntimeSpec.Network.None();
            }
            case "default", "bridge" -> {
                // handled below
            }
            default -> throw new IOException("network " + mode + " not found");
        }
        int address = pool.lease(id);
        Path netns = netnsPath(id);
        String veth = vethName(id);
        removeVeth(veth); // left by a crash between a start and its teardown
        NetnsFile.create(netns);
        try {
            HostCommand.run(List.of("ip", "-batch", "-"),
                    "link add " + veth + " type veth peer name eth0 address " + mac(address) + " netns " + netns
                            + "\nlink set " + veth + " master " + config.bridge() + " up\n");
            HostCommand.run(List.of("nsenter", "--net=" + netns, "ip", "-batch", "-"),
                    "link set lo up\n"
                            + "addr add " + Ipv4Subnet.format(address) + "/" + config.subnet().prefix() + " dev eth0\n"
                            + "link set eth0 up\n"
                            + "route add default via " + Ipv4Subnet.format(config.subnet().gateway()) + "\n");
            EtcFiles.write(rootfs, hostname, Ipv4Subnet.format(address), List.of(),
                    EtcFiles.hostResolvConf(config.resolvConf()));
        } catch (IOException | RuntimeException e) {
            teardown(id);
            throw e;
        }
        return new RuntimeSpec.Network.Join(netns);
    }

    @Override
    public void teardown(String id) throws IOException {
        removeVeth(vethName(id));
        NetnsFile.remove(netnsPath(id));
    }

    @Override
    public void release(String id) throws IOException {
        teardown(id);
        pool.release(id);
    }

    @Override
    public void recover(Collection<String> containerIds, Collection<String> runningIds) throws IOException {
        pool.retainOnly(containerIds);
        for (String id : containerIds) {
            if (!runningIds.contains(id)) {
                try {
                    teardown(id);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "network teardown of stopped container " + id + " failed", e);
                }
            }
        }
    }

    @Override
    public Optional<Endpoint> endpoint(String id) {
        return pool.addressOf(id).map(a -> new Endpoint(NETWORK_NAME, Ipv4Subnet.format(a),
                config.subnet().prefix(), Ipv4Subnet.format(config.subnet().gateway()), mac(a)));
    }

    /** Deletes the engine's rules (the bridge stays, as docker0 does; it carries no rule of its own). */
    public void removeRules() throws IOException {
        firewall.remove();
    }

    Path netnsPath(String id) {
        return config.netnsDir().resolve(id);
    }

    /** The host end of the container's veth pair; 15 characters, the kernel's limit. */
    static String vethName(String id) {
        return "sv" + id.substring(0, 13);
    }

    private static void removeVeth(String veth) throws IOException {
        if (Files.exists(Path.of("/sys/class/net", veth))) {
            HostCommand.run(List.of("ip", "link", "del", veth));
        }
    }

    static String mac(int address) {
        return String.format("02:42:%02x:%02x:%02x:%02x", address >>> 24, address >>> 16 & 255, address >>> 8 & 255,
                address & 255);
    }
}
