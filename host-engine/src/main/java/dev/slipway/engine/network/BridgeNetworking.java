package dev.slipway.engine.network;

import dev.slipway.engine.network.Attachments.Attachment;
import dev.slipway.engine.network.Attachments.Entry;
import dev.slipway.engine.network.NetworkException.Reason;
import dev.slipway.engine.runtime.RuntimeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bridge networking with iproute2's {@code ip} (one {@code ip -batch} process for the host side and one, inside
 * the namespace through {@code nsenter}, for the container side: a handful of well-known, debuggable commands
 * instead of a netlink implementation in the engine) and nftables, or iptables where nft is missing, for filtering
 * and NAT ({@link Firewall}).
 *
 * Networks: the default one ({@code bridge}, the engine's configured bridge and subnet) and user-defined ones
 * ({@code docker network create}), each with its own Linux bridge, a /24 (or the given subnet) from the
 * configured pool, its own leases, and a {@link DnsServer} on its gateway that answers its containers' names.
 * A container labelled {@code slipway.tenant=<t>} lives on network {@code tenant-<t>} (created when first needed)
 * and on no other, and no other container may join that network: one tenant's containers never share a network
 * with another's, and the firewall drops traffic between networks.
 *
 * Per container: a namespace pinned at {@code <netnsDir>/<id>}; per network it is attached to, a veth pair whose
 * host end is a port of that network's bridge ({@code sv<id prefix>} for {@code eth0}, {@code s<n><id prefix>}
 * for {@code eth<n>}), an address leased from the network's {@link AddressPool}, a MAC derived from the address
 * (02:42 + the four octets, as Docker does, so a reused address never meets a stale ARP entry with another MAC);
 * the default route goes via the gateway of the network it was created on.
 */
public final class BridgeNetworking implements ContainerNetworking {

    private static final Logger LOG = Logger.getLogger(BridgeNetworking.class.getName());
    public static final String NETWORK_NAME = "bridge";
    private static final Set<String> MODES = Set.of("default", "bridge", "none", "host");
    private static final String NAME_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}";

    /** A network the engine runs: its record, its leases, its resolver (user-defined networks only). */
    private record Net(NetworkRecord record, AddressPool addresses, DnsServer dns) {
    }

    private final BridgeConfig config;
    private final Firewall firewall;
    private final PortPublisher ports;
    private final NetworkStore store;
    private final Attachments attachments;
    private final Map<String, Net> byName = new ConcurrentHashMap<>();
    /** Running containers' names per network (name → addresses), what the resolvers answer from. */
    private final Map<String, Map<String, List<String>>> liveNames = new ConcurrentHashMap<>();

    private BridgeNetworking(BridgeConfig config, Firewall firewall, PortPublisher ports, NetworkStore store,
                             Attachments attachments) {
        this.config = config;
        this.firewall = firewall;
        this.ports = ports;
        this.store = store;
        this.attachments = attachments;
    }

    /**
     * Sets up (or finds) the bridges of every network and rebuilds the engine's rules. Refuses a default pool that
     * overlaps a route of the host not through this bridge, since containers could then not reach that network
     * (or would shadow it).
     */
    public static BridgeNetworking start(BridgeConfig config) throws IOException {
        Optional<HostRoutes.Route> clash = HostRoutes.overlapping(HostRoutes.read(), config.subnet(), config.bridge());
        if (clash.isPresent()) {
            throw new IOException("bridge subnet " + config.subnet() + " overlaps the host's route \""
                    + clash.get().line() + "\"; choose another with --bridge-subnet");
        }
        setUpBridge(config.bridge(), config.subnet());
        enableForwarding();
        Firewall firewall = Firewall.forHost(config.bridge(), config.firewall());
        BridgeNetworking networking = new BridgeNetworking(config, firewall,
                new PortPublisher(config.stateDir().resolve("ports")),
                new NetworkStore(config.stateDir().resolve("networks")),
                new Attachments(config.stateDir().resolve("attachments")));
        NetworkRecord defaultNetwork = new NetworkRecord(defaultId(config), NETWORK_NAME, config.bridge(),
                config.subnet(), !config.egress(), Map.of(), Instant.EPOCH);
        networking.byName.put(NETWORK_NAME, new Net(defaultNetwork,
                new AddressPool(config.subnet(), config.stateDir().resolve(NETWORK_NAME)), null));
        for (NetworkRecord n : networking.store.loadAll()) {
            networking.run(n);
        }
        // the recorded ports of containers that may still run keep their forwarding until recover() sorts them out
        networking.firewall.apply(networking.rules(), networking.ports.recorded());
        return networking;
    }

    /** The default network's id: stable per bridge name, so inspect shows the same id across restarts. */
    private static String defaultId(BridgeConfig config) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("slipway-default-network:" + config.bridge()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Brings up a user network's bridge and resolver and registers it. */
    private Net run(NetworkRecord n) throws IOException {
        setUpBridge(n.bridge(), n.subnet());
        String gateway = Ipv4Subnet.format(n.subnet().gateway());
        DnsServer dns = DnsServer.start(gateway, (client, name) -> lookup(n.name(), client, name),
                config.resolvConf());
        Net net = new Net(n, new AddressPool(n.subnet(), store.leases(n.id())), dns);
        byName.put(n.name(), net);
        return net;
    }

    private static void setUpBridge(String bridge, Ipv4Subnet subnet) throws IOException {
        String gateway = Ipv4Subnet.format(subnet.gateway()) + "/" + subnet.prefix();
        StringBuilder batch = new StringBuilder();
        if (!Files.exists(Path.of("/sys/class/net", bridge))) {
            batch.append("link add ").append(bridge).append(" type bridge\n");
        }
        batch.append("addr replace ").append(gateway).append(" dev ").append(bridge).append('\n')
                .append("link set ").append(bridge).append(" up\n");
        HostCommand.run(List.of("ip", "-batch", "-"), batch.toString());
        allowLoopbackSources(bridge);
    }

    private static void enableForwarding() throws IOException {
        Path forward = Path.of("/proc/sys/net/ipv4/ip_forward");
        if (!Files.readString(forward).strip().equals("1")) {
            LOG.info("enabling IPv4 forwarding (net.ipv4.ip_forward=1) for bridge networking");
            Files.writeString(forward, "1");
        }
    }

    /**
     * A connection from the host's own 127.0.0.1 to a published port is rewritten to the container's address and
     * leaves through the bridge with source 127.0.0.1 (masqueraded to the gateway on the way out); the kernel
     * routes such packets, and accepts the replies, only with route_localnet on the bridge. The firewall's input
     * chain drops anything else from the bridge to the host, so containers gain no way to the host's loopback.
     */
    private static void allowLoopbackSources(String bridge) throws IOException {
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet"), "1");
    }

    private List<Firewall.NetworkRules> rules() {
        return byName.values().stream().map(n -> new Firewall.NetworkRules(n.record().bridge(),
                n.record().subnet(), !n.record().internal(), n.dns() != null)).toList();
    }

    private synchronized void refreshRules() throws IOException {
        firewall.apply(rules(), ports.all());
    }

    public BridgeConfig config() {
        return config;
    }

    // --- containers --------------------------------------------------------------------------------------------

    @Override
    public String attach(String id, String name, String mode, List<String> aliases, Map<String, String> labels)
            throws IOException {
        String tenant = labels.get(NetworkRecord.TENANT_LABEL);
        String network = networkFor(mode == null || mode.isEmpty() ? "default" : mode, tenant);
        List<Attachment> nets = network.equals("none") || network.equals("host") ? List.of()
                : List.of(new Attachment(network.equals("default") ? NETWORK_NAME : network, 0, aliases));
        attachments.put(id, new Entry(name, tenant, nets));
        return network;
    }

    /** The network a container with this mode and tenant goes on; creates a tenant's network on first use. */
    private String networkFor(String mode, String tenant) throws IOException {
        if (tenant != null) {
            if (!tenant.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
                throw new NetworkException(Reason.INVALID, "invalid label " + NetworkRecord.TENANT_LABEL + "="
                        + tenant + ": a tenant is 1-63 lower-case letters, digits, '_', '.', '-'");
            }
            String own = "tenant-" + tenant;
            if (mode.equals("none")) {
                return mode;
            }
            if (!mode.equals("default") && !mode.equals("bridge") && !mode.equals(own)) {
                throw new NetworkException(Reason.INVALID, "a container labelled " + NetworkRecord.TENANT_LABEL
                        + "=" + tenant + " can only join its tenant's network " + own + " (or none), not " + mode);
            }
            synchronized (this) {
                if (!byName.containsKey(own)) {
                    createNetwork(own, null, false, Map.of(NetworkRecord.TENANT_LABEL, tenant));
                }
            }
            return own;
        }
        if (MODES.contains(mode)) {
            return mode;
        }
        Net net = find(mode);
        refuseForeignTenant(net, null);
        return net.record().name();
    }

    private static void refuseForeignTenant(Net net, String tenant) throws NetworkException {
        String owner = net.record().tenant();
        if (owner != null && !owner.equals(tenant)) {
            throw new NetworkException(Reason.INVALID, "network " + net.record().name() + " belongs to tenant "
                    + owner + ": only containers labelled " + NetworkRecord.TENANT_LABEL + "=" + owner
                    + " can join it");
        }
        if (owner == null && tenant != null) {
            throw new NetworkException(Reason.INVALID, "a container labelled " + NetworkRecord.TENANT_LABEL + "="
                    + tenant + " can only join its tenant's network tenant-" + tenant);
        }
    }

    private Entry entryOf(String id, String mode, String hostname, NetworkOptions options) throws IOException {
        Optional<Entry> entry = attachments.get(id);
        if (entry.isPresent()) {
            return entry.get();
        }
        // created before attachments were recorded: its mode says it all
        Entry e = new Entry(hostname, null, mode.equals("none") || mode.equals("host") ? List.of()
                : List.of(new Attachment(NETWORK_NAME, 0, options.aliases())));
        attachments.put(id, e);
        return e;
    }

    @Override
    public RuntimeSpec.Network prepare(String id, String mode, String hostname, NetworkOptions options, Path rootfs)
            throws IOException {
        if (mode.equals("host")) {
            return new RuntimeSpec.Network.Host();
        }
        Entry entry = entryOf(id, mode, hostname, options);
        if (mode.equals("none") || entry.networks().isEmpty()) {
            return new RuntimeSpec.Network.None();
        }
        Path netns = netnsPath(id);
        removeVeths(id, entry); // left by a crash between a start and its teardown
        NetnsFile.create(netns);
        try {
            Attachment primary = entry.networks().stream().filter(a -> a.index() == 0).findFirst()
                    .orElse(entry.networks().get(0));
            Net primaryNet = find(primary.network());
            int address = -1;
            for (Attachment a : entry.networks()) {
                int leased = plug(id, entry, a, a == primary);
                if (a == primary) {
                    address = leased;
                }
            }
            List<String> resolv = EtcFiles.hostResolvConf(config.resolvConf());
            if (primaryNet.dns() != null) {
                List<String> withOwn = new ArrayList<>();
                withOwn.add("nameserver " + Ipv4Subnet.format(primaryNet.record().subnet().gateway()));
                resolv.stream().filter(l -> !l.startsWith("nameserver")).forEach(withOwn::add);
                resolv = withOwn;
            }
            EtcFiles.write(rootfs, hostname, Ipv4Subnet.format(address), List.of(), resolv);
            if (!options.wanted().isEmpty()) {
                ports.publish(id, primaryNet.record().bridge(), address, options.wanted());
                refreshRules();
            }
        } catch (IOException | RuntimeException e) {
            teardown(id);
            throw e;
        }
        return new RuntimeSpec.Network.Join(netns);
    }

    /** Adds the container's interface on one network (its namespace exists); returns its address. */
    private int plug(String id, Entry entry, Attachment a, boolean defaultRoute) throws IOException {
        Net net = find(a.network());
        int address = net.addresses().lease(id);
        String veth = vethName(id, a.index());
        String inside = "eth" + a.index();
        Path netns = netnsPath(id);
        HostCommand.run(List.of("ip", "-batch", "-"),
                "link add " + veth + " type veth peer name " + inside + " address " + mac(address) + " netns " + netns
                        + "\nlink set " + veth + " master " + net.record().bridge() + " up\n");
        HostCommand.run(List.of("nsenter", "--net=" + netns, "ip", "-batch", "-"),
                "link set lo up\n"
                        + "addr add " + Ipv4Subnet.format(address) + "/" + net.record().subnet().prefix() + " dev "
                        + inside + "\n"
                        + "link set " + inside + " up\n"
                        + (defaultRoute ? "route add default via "
                        + Ipv4Subnet.format(net.record().subnet().gateway()) + "\n" : ""));
        List<String> names = new ArrayList<>();
        names.add(entry.containerName());
        names.add(id.substring(0, 12));
        names.addAll(a.aliases());
        Map<String, List<String>> onNet = liveNames.computeIfAbsent(net.record().name(), k -> new ConcurrentHashMap<>());
        onNet.put(id, names.stream().map(n -> n.toLowerCase(Locale.ROOT) + "=" + Ipv4Subnet.format(address))
                .toList());
        return address;
    }

    private void unplugNames(String id) {
        liveNames.values().forEach(m -> m.remove(id));
    }

    /**
     * The addresses of running containers that answer to {@code name} on the networks of the asking container
     * (found by its address on {@code network}), as Docker's resolver does for a container on several networks;
     * only {@code network} itself when the asker is not a known container.
     */
    private Optional<List<Integer>> lookup(String network, int client, String name) {
        String clientEntry = "=" + Ipv4Subnet.format(client);
        String asker = liveNames.getOrDefault(network, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(n -> n.endsWith(clientEntry))).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        List<Integer> found = new ArrayList<>();
        String prefix = name + "=";
        for (Map.Entry<String, Map<String, List<String>>> net : liveNames.entrySet()) {
            if (!net.getKey().equals(network) && (asker == null || !net.getValue().containsKey(asker))) {
                continue;
            }
            for (List<String> names : net.getValue().values()) {
                for (String n : names) {
                    if (n.startsWith(prefix)) {
                        found.add(Ipv4Subnet.parseAddress(n.substring(prefix.length())));
                    }
                }
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(found);
    }

    @Override
    public void teardown(String id) throws IOException {
        if (ports.unpublish(id)) {
            refreshRules();
        }
        unplugNames(id);
        removeVeths(id, attachments.get(id).orElse(null));
        NetnsFile.remove(netnsPath(id));
    }

    private static void removeVeths(String id, Entry entry) throws IOException {
        removeVeth(vethName(id, 0));
        if (entry != null) {
            for (Attachment a : entry.networks()) {
                removeVeth(vethName(id, a.index()));
            }
        }
    }

    @Override
    public void release(String id) throws IOException {
        teardown(id);
        for (Net n : byName.values()) {
            n.addresses().release(id);
        }
        attachments.remove(id);
    }

    @Override
    public void recover(Collection<String> containerIds, Collection<String> runningIds) throws IOException {
        for (Net n : byName.values()) {
            n.addresses().retainOnly(containerIds);
        }
        attachments.retainOnly(containerIds);
        ports.restore(runningIds);
        refreshRules();
        for (String id : containerIds) {
            if (!runningIds.contains(id)) {
                try {
                    teardown(id);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "network teardown of stopped container " + id + " failed", e);
                }
                continue;
            }
            Optional<Entry> entry = attachments.get(id);
            for (Attachment a : entry.map(Entry::networks).orElse(List.of())) {
                Net net = byName.get(a.network());
                Optional<Integer> address = net == null ? Optional.empty() : net.addresses().addressOf(id);
                if (address.isPresent()) {
                    List<String> names = new ArrayList<>(List.of(entry.get().containerName(), id.substring(0, 12)));
                    names.addAll(a.aliases());
                    liveNames.computeIfAbsent(a.network(), k -> new ConcurrentHashMap<>()).put(id, names.stream()
                            .map(n -> n.toLowerCase(Locale.ROOT) + "=" + Ipv4Subnet.format(address.get())).toList());
                }
            }
        }
    }

    @Override
    public Optional<Endpoint> endpoint(String id) {
        List<Endpoint> all = endpoints(id);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    @Override
    public List<Endpoint> endpoints(String id) {
        Entry entry;
        try {
            entry = attachments.get(id).orElse(null);
        } catch (IOException e) {
            return List.of();
        }
        List<Endpoint> out = new ArrayList<>();
        List<Attachment> nets = entry == null ? List.of(new Attachment(NETWORK_NAME, 0, List.of()))
                : entry.networks().stream().sorted(java.util.Comparator.comparingInt(Attachment::index)).toList();
        for (Attachment a : nets) {
            Net net = byName.get(a.network());
            if (net == null) {
                continue;
            }
            net.addresses().addressOf(id).ifPresent(address -> out.add(new Endpoint(net.record().name(),
                    Ipv4Subnet.format(address), net.record().subnet().prefix(),
                    Ipv4Subnet.format(net.record().subnet().gateway()), mac(address), net.record().id(),
                    a.aliases())));
        }
        return out;
    }

    @Override
    public List<PortBinding> publishedPorts(String id) {
        return ports.portsOf(id);
    }

    @Override
    public synchronized void connect(String id, String network, List<String> aliases, boolean running)
            throws IOException {
        Entry entry = attachments.get(id).orElseThrow(() -> new NetworkException(Reason.INVALID,
                "container " + id + " has no bridge networking (--network none or host) to connect"));
        if (entry.networks().isEmpty()) {
            throw new NetworkException(Reason.INVALID, "container " + id.substring(0, 12) + " runs with --network "
                    + "none or host and cannot be connected to a network");
        }
        Net net = find(network);
        refuseForeignTenant(net, entry.tenant());
        if (entry.on(net.record().name()).isPresent()) {
            throw new NetworkException(Reason.CONFLICT, "endpoint with name " + entry.containerName()
                    + " already exists in network " + net.record().name());
        }
        if (entry.nextIndex() > 9) {
            throw new NetworkException(Reason.CONFLICT, "container " + id.substring(0, 12) + " is on 10 networks "
                    + "already, the most a container can join");
        }
        Attachment a = new Attachment(net.record().name(), entry.nextIndex(), aliases);
        Entry updated = entry.with(a);
        attachments.put(id, updated);
        if (running) {
            try {
                plug(id, updated, a, false);
            } catch (IOException | RuntimeException e) {
                removeVeth(vethName(id, a.index()));
                net.addresses().release(id);
                attachments.put(id, entry);
                throw e;
            }
        }
    }

    @Override
    public synchronized void disconnect(String id, String network, boolean running) throws IOException {
        Entry entry = attachments.get(id).orElseThrow(() -> new NetworkException(Reason.INVALID,
                "container " + id.substring(0, 12) + " is not connected to network " + network));
        Net net = find(network);
        Attachment a = entry.on(net.record().name()).orElseThrow(() -> new NetworkException(Reason.INVALID,
                "container " + id.substring(0, 12) + " is not connected to network " + net.record().name()));
        if (a.index() == 0) {
            throw new NetworkException(Reason.INVALID, "container " + id.substring(0, 12) + " was created on "
                    + "network " + net.record().name() + " and cannot leave it (it carries its default route); "
                    + "remove the container instead");
        }
        if (running) {
            removeVeth(vethName(id, a.index()));
            Map<String, List<String>> onNet = liveNames.get(net.record().name());
            if (onNet != null) {
                onNet.remove(id);
            }
        }
        net.addresses().release(id);
        attachments.put(id, entry.without(net.record().name()));
    }

    // --- networks ----------------------------------------------------------------------------------------------

    @Override
    public List<NetworkRecord> networks() {
        return byName.values().stream().map(Net::record)
                .sorted(java.util.Comparator.comparing(NetworkRecord::created).thenComparing(NetworkRecord::name))
                .toList();
    }

    @Override
    public NetworkRecord network(String ref) throws IOException {
        return find(ref).record();
    }

    /** Docker's lookup: exact name, full id, unique id prefix. */
    private Net find(String ref) throws NetworkException {
        Net byExactName = byName.get(ref);
        if (byExactName != null) {
            return byExactName;
        }
        Net found = null;
        for (Net n : byName.values()) {
            if (!ref.isEmpty() && n.record().id().startsWith(ref)) {
                if (found != null) {
                    throw new NetworkException(Reason.INVALID, "network " + ref + " is ambiguous (" + ref
                            + " matches more than one network id)");
                }
                found = n;
            }
        }
        if (found == null) {
            throw new NetworkException(Reason.NOT_FOUND, "network " + ref + " not found");
        }
        return found;
    }

    @Override
    public Map<String, Endpoint> members(String ref) throws IOException {
        Net net = find(ref);
        Map<String, Endpoint> out = new LinkedHashMap<>();
        for (String id : attachments.members(net.record().name())) {
            endpoints(id).stream().filter(e -> e.network().equals(net.record().name())).findFirst()
                    .ifPresent(e -> out.put(id, e));
        }
        if (net.record().name().equals(NETWORK_NAME)) {
            net.addresses().leases().keySet().stream().filter(id -> !out.containsKey(id))
                    .forEach(id -> endpoint(id).ifPresent(e -> out.put(id, e)));
        }
        return out;
    }

    @Override
    public synchronized NetworkRecord createNetwork(String name, String subnet, boolean internal,
                                                   Map<String, String> labels) throws IOException {
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new NetworkException(Reason.INVALID, "invalid network name \"" + name + "\": 1-128 letters, digits,"
                    + " '_', '.', '-', starting with a letter or digit");
        }
        if (MODES.contains(name)) {
            throw new NetworkException(Reason.CONFLICT, "network name " + name + " is reserved (a pre-defined "
                    + "network or mode)");
        }
        if (byName.containsKey(name)) {
            throw new NetworkException(Reason.CONFLICT, "network with name " + name + " already exists");
        }
        String tenant = labels.get(NetworkRecord.TENANT_LABEL);
        if (tenant != null && !name.equals("tenant-" + tenant)) {
            throw new NetworkException(Reason.INVALID, "label " + NetworkRecord.TENANT_LABEL + " is reserved for "
                    + "the engine's tenant networks (tenant-<tenant>)");
        }
        List<HostRoutes.Route> routes = HostRoutes.read();
        Ipv4Subnet chosen;
        if (subnet != null && !subnet.isEmpty()) {
            try {
                chosen = Ipv4Subnet.parse(subnet);
            } catch (IllegalArgumentException e) {
                throw new NetworkException(Reason.INVALID, "invalid subnet: " + e.getMessage());
            }
            if (chosen.prefix() > 30 || chosen.prefix() < 8) {
                throw new NetworkException(Reason.INVALID, "subnet " + chosen + " must be between /8 and /30");
            }
            Optional<String> clash = clash(chosen, routes);
            if (clash.isPresent()) {
                throw new NetworkException(Reason.CONFLICT, "subnet " + chosen + " overlaps " + clash.get()
                        + "; choose another --subnet");
            }
        } else {
            chosen = freeSubnet(routes);
        }
        byte[] idBytes = new byte[32];
        new SecureRandom().nextBytes(idBytes);
        NetworkRecord record = new NetworkRecord(HexFormat.of().formatHex(idBytes), name, freeBridgeName(), chosen,
                internal, labels, Instant.now());
        store.save(record);
        try {
            run(record);
            refreshRules();
        } catch (IOException | RuntimeException e) {
            Net half = byName.remove(name);
            if (half != null && half.dns() != null) {
                half.dns().close();
            }
            removeBridge(record.bridge());
            store.delete(record.id());
            throw e;
        }
        LOG.info("network " + name + " created: bridge " + record.bridge() + ", subnet " + chosen);
        return record;
    }

    private Optional<String> clash(Ipv4Subnet candidate, List<HostRoutes.Route> routes) {
        for (Net n : byName.values()) {
            if (n.record().subnet().overlaps(candidate)) {
                return Optional.of("network " + n.record().name() + " (" + n.record().subnet() + ")");
            }
        }
        Set<String> ownBridges = new java.util.HashSet<>();
        byName.values().forEach(n -> ownBridges.add(n.record().bridge()));
        return routes.stream().filter(r -> !ownBridges.contains(r.device()))
                .filter(r -> r.destination().overlaps(candidate)).findFirst()
                .map(r -> "the host's route \"" + r.line() + "\"");
    }

    private Ipv4Subnet freeSubnet(List<HostRoutes.Route> routes) throws NetworkException {
        Ipv4Subnet pool = config.networkPool();
        int count = pool.prefix() >= 24 ? 1 : 1 << (24 - pool.prefix());
        // start at a random /24: engines on one host (test engines, workers) that create networks at the same
        // moment, each before the other's bridge route exists, then rarely pick the same one
        int start = new SecureRandom().nextInt(count);
        for (int i = 0; i < count; i++) {
            int n = (start + i) % count;
            Ipv4Subnet candidate = new Ipv4Subnet(pool.base() + (n << 8), Math.max(24, pool.prefix()));
            if (clash(candidate, routes).isEmpty()) {
                return candidate;
            }
        }
        throw new NetworkException(Reason.CONFLICT, "no free /24 left in the network pool " + pool
                + "; remove unused networks or give --subnet");
    }

    /** {@code <first 9 characters of the default bridge>n<number>}: recognisably the engine's, at most 15. */
    private String freeBridgeName() {
        String prefix = config.bridge().substring(0, Math.min(9, config.bridge().length())) + "n";
        Set<String> used = new java.util.HashSet<>();
        byName.values().forEach(n -> used.add(n.record().bridge()));
        for (int i = 1; ; i++) {
            String candidate = prefix + i;
            if (!used.contains(candidate) && !Files.exists(Path.of("/sys/class/net", candidate))) {
                return candidate;
            }
        }
    }

    @Override
    public synchronized void removeNetwork(String ref) throws IOException {
        Net net = find(ref);
        NetworkRecord n = net.record();
        if (n.name().equals(NETWORK_NAME)) {
            throw new NetworkException(Reason.INVALID, "bridge is a pre-defined network and cannot be removed");
        }
        List<String> members = attachments.members(n.name());
        if (!members.isEmpty()) {
            throw new NetworkException(Reason.CONFLICT, "error while removing network: network " + n.name() + " id "
                    + n.id() + " has active endpoints (containers " + members.stream().map(m -> m.substring(0, 12))
                    .toList() + "); remove or disconnect them first");
        }
        byName.remove(n.name());
        liveNames.remove(n.name());
        net.dns().close();
        refreshRules();
        removeBridge(n.bridge());
        store.delete(n.id());
    }

    private static void removeBridge(String bridge) throws IOException {
        if (Files.exists(Path.of("/sys/class/net", bridge))) {
            HostCommand.run(List.of("ip", "link", "del", bridge));
        }
    }

    /**
     * Deletes the engine's rules (the bridges stay, as docker0 does; they carry no rule of their own). For tearing
     * a test engine down.
     */
    public void removeRules() throws IOException {
        firewall.remove();
    }

    Path netnsPath(String id) {
        return config.netnsDir().resolve(id);
    }

    /** The host end of the container's veth pair for interface {@code eth<index>} (0-9); 15 characters. */
    static String vethName(String id, int index) {
        return index == 0 ? "sv" + id.substring(0, 13) : "s" + index + id.substring(0, 13);
    }

    static String vethName(String id) {
        return vethName(id, 0);
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
