package dev.slipway.engine.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's rules with iptables, for hosts without nftables: the same rules as {@link NftFirewall}, in chains
 * the engine owns ({@code SLW-<bridge>-FWD} and {@code -IN} in the filter table, {@code -PRE}, {@code -OUT} and
 * {@code -POST} in the nat table), each reached by one jump at the top of the built-in chain. {@link #apply}
 * rewrites the chains with one {@code iptables-restore --noflush} (each table's change is one transaction; the
 * host's own chains and rules are left as they are), then adds any missing jump; {@link #remove} deletes the
 * jumps and the chains.
 */
final class IptablesFirewall implements Firewall {

    private record Chain(String table, String builtin, String name) {
    }

    private final List<Chain> chains;

    IptablesFirewall(String bridge) {
        String prefix = "SLW-" + NftFirewall.checkedInterface(bridge) + "-";
        chains = List.of(new Chain("filter", "FORWARD", prefix + "FWD"), new Chain("filter", "INPUT", prefix + "IN"),
                new Chain("nat", "PREROUTING", prefix + "PRE"), new Chain("nat", "OUTPUT", prefix + "OUT"),
                new Chain("nat", "POSTROUTING", prefix + "POST"));
    }

    @Override
    public String kind() {
        return "iptables";
    }

    @Override
    public void apply(List<NetworkRules> networks, List<PortPublisher.Published> published) throws IOException {
        HostCommand.run(List.of("iptables-restore", "-w", "--noflush"), script(networks, published));
        for (Chain c : chains) {
            if (!jumps(c)) {
                HostCommand.run(List.of("iptables", "-w", "-t", c.table(), "-I", c.builtin(), "1", "-j", c.name()));
            }
        }
    }

    @Override
    public void remove() throws IOException {
        for (Chain c : chains) {
            while (jumps(c)) {
                HostCommand.run(List.of("iptables", "-w", "-t", c.table(), "-D", c.builtin(), "-j", c.name()));
            }
            if (exists(c)) {
                HostCommand.run(List.of("iptables", "-w", "-t", c.table(), "-F", c.name()));
                HostCommand.run(List.of("iptables", "-w", "-t", c.table(), "-X", c.name()));
            }
        }
    }

    /** The chain names, for tests and operators ({@code iptables -t nat -S <name>}). */
    List<String> chainNames() {
        return chains.stream().map(Chain::name).toList();
    }

    private boolean jumps(Chain c) {
        return succeeds("iptables", "-w", "-t", c.table(), "-C", c.builtin(), "-j", c.name());
    }

    private boolean exists(Chain c) {
        return succeeds("iptables", "-w", "-t", c.table(), "-S", c.name());
    }

    private static boolean succeeds(String... argv) {
        try {
            HostCommand.run(List.of(argv));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String script(List<NetworkRules> networks, List<PortPublisher.Published> published) {
        String fwd = chains.get(0).name();
        String in = chains.get(1).name();
        String pre = chains.get(2).name();
        String out = chains.get(3).name();
        String post = chains.get(4).name();
        List<String> into = new ArrayList<>();
        List<String> outOf = new ArrayList<>();
        List<String> input = new ArrayList<>();
        List<String> postrouting = new ArrayList<>();
        for (NetworkRules n : networks) {
            String b = NftFirewall.checkedInterface(n.bridge());
            String gateway = Ipv4Subnet.format(n.subnet().gateway());
            into.add("-A " + fwd + " -o " + b + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
            into.add("-A " + fwd + " -o " + b + " -m conntrack --ctstate DNAT -j ACCEPT");
            into.add("-A " + fwd + " -i " + b + " -o " + b + " -j ACCEPT");
            into.add("-A " + fwd + " -o " + b + " -j DROP");
            outOf.add("-A " + fwd + " -i " + b + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
            outOf.add("-A " + fwd + " -i " + b + " -j " + (n.egress() ? "ACCEPT" : "DROP"));
            input.add("-A " + in + " -i " + b + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
            if (n.dns()) {
                for (String proto : List.of("udp", "tcp")) {
                    input.add("-A " + in + " -i " + b + " -d " + gateway + "/32 -p " + proto + " -m " + proto
                            + " --dport 53 -j ACCEPT");
                }
            }
            input.add("-A " + in + " -i " + b + " -j DROP");
            postrouting.add("-A " + post + " -o " + b + " -s 127.0.0.0/8 -j MASQUERADE");
            postrouting.add("-A " + post + " -o " + b + " -s " + n.subnet() + " -m conntrack --ctstate DNAT "
                    + "-j MASQUERADE");
            if (n.egress()) {
                postrouting.add("-A " + post + " -s " + n.subnet() + " ! -o " + b + " -j MASQUERADE");
            }
        }
        List<String> dnat = new ArrayList<>();
        for (PortPublisher.Published p : published) {
            for (PortBinding port : p.ports()) {
                dnat.add((port.hostIp().isEmpty() ? "-m addrtype --dst-type LOCAL" : "-d " + port.hostIp() + "/32")
                        + " -p " + port.protocol() + " -m " + port.protocol() + " --dport " + port.hostPort()
                        + " -j DNAT --to-destination " + Ipv4Subnet.format(p.address()) + ":"
                        + port.containerPort());
            }
        }
        StringBuilder s = new StringBuilder("*filter\n:" + fwd + " - [0:0]\n:" + in + " - [0:0]\n");
        into.forEach(r -> s.append(r).append('\n'));
        outOf.forEach(r -> s.append(r).append('\n'));
        input.forEach(r -> s.append(r).append('\n'));
        s.append("COMMIT\n*nat\n:").append(pre).append(" - [0:0]\n:").append(out).append(" - [0:0]\n:")
                .append(post).append(" - [0:0]\n");
        dnat.forEach(r -> s.append("-A ").append(pre).append(' ').append(r).append('\n'));
        dnat.forEach(r -> s.append("-A ").append(out).append(' ').append(r).append('\n'));
        postrouting.forEach(r -> s.append(r).append('\n'));
        s.append("COMMIT\n");
        return s.toString();
    }
}
