package dev.slipway.engine.network;

import java.io.IOException;
import java.util.List;

/**
 * The engine's packet filter and NAT rules, all in one nftables table that only the engine writes. Every change
 * replaces the whole table in one nft transaction (create-if-missing, delete, re-create), so the rules are never
 * half applied, a restarted engine rebuilds them idempotently from its state, and {@link #remove} takes away
 * exactly what the engine added. Other tables (the host's own, iptables-nft's) are never touched; a drop here is
 * final whatever they accept.
 *
 * Per network (bridge {@code B}, subnet {@code S}, gateway {@code G}):
 * <ul>
 *   <li>forward, into {@code B}: replies, published ports (connections the DNAT rules below rewrote) and traffic
 *       between containers of {@code B} pass; anything else is dropped, so no other network and nothing outside
 *       can open a connection to its containers. Out of {@code B}: replies pass, new connections only when the
 *       network has egress (not {@code --internal}). All "into" rules come before all "out of" rules, so one
 *       network's egress never opens another's door;</li>
 *   <li>input, from {@code B} to the host itself: replies pass, DNS to the engine's resolver on {@code G} port 53
 *       passes when the network has one, everything else is dropped: a container reaches no service of the host
 *       (neither on its loopback nor on its addresses) except what is published;</li>
 *   <li>postrouting: {@code S} leaving through another interface is masqueraded (egress NAT); connections to a
 *       published port that come from the host's loopback, or from {@code S} itself (hairpin), are masqueraded
 *       to {@code G} so the replies come back through the host.</li>
 * </ul>
 * Per published port, prerouting (from outside and from containers) and output (from the host's own programs,
 * 127.0.0.1 included, which needs {@code route_localnet} on the bridge) rewrite the host address and port to the
 * container's.
 */
final class NftFirewall implements Firewall {

    private final String table;

    NftFirewall(String table) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]{0,60}")) {
            throw new IllegalArgumentException("invalid nftables table name: " + table);
        }
        this.table = table;
    }

    String table() {
        return table;
    }

    @Override
    public String kind() {
        return "nftables";
    }

    @Override
    public void apply(List<NetworkRules> networks, List<PortPublisher.Published> published) throws IOException {
        HostCommand.run(List.of("nft", "-f", "-"), script(networks, published));
    }

    @Override
    public void remove() throws IOException {
        HostCommand.run(List.of("nft", "-f", "-"), "table ip " + table + " {}\ndelete table ip " + table + "\n");
    }

    String script(List<NetworkRules> networks, List<PortPublisher.Published> published) {
        StringBuilder into = new StringBuilder();
        StringBuilder outOf = new StringBuilder();
        StringBuilder input = new StringBuilder();
        StringBuilder postrouting = new StringBuilder();
        for (NetworkRules n : networks) {
            String b = quoted(n.bridge());
            String gateway = Ipv4Subnet.format(n.subnet().gateway());
            into.append("    oifname ").append(b).append(" ct state established,related accept\n")
                    .append("    oifname ").append(b).append(" ct status dnat accept\n")
                    .append("    iifname ").append(b).append(" oifname ").append(b).append(" accept\n")
                    .append("    oifname ").append(b).append(" drop\n");
            outOf.append("    iifname ").append(b).append(" ct state established,related accept\n")
                    .append("    iifname ").append(b).append(n.egress() ? " accept\n" : " drop\n");
            input.append("    iifname ").append(b).append(" ct state established,related accept\n");
            if (n.dns()) {
                input.append("    iifname ").append(b).append(" ip daddr ").append(gateway)
                        .append(" meta l4proto { tcp, udp } th dport 53 accept\n");
            }
            input.append("    iifname ").append(b).append(" drop\n");
            postrouting.append("    oifname ").append(b).append(" ip saddr 127.0.0.0/8 masquerade\n")
                    .append("    oifname ").append(b).append(" ip saddr ").append(n.subnet())
                    .append(" ct status dnat masquerade\n");
            if (n.egress()) {
                postrouting.append("    ip saddr ").append(n.subnet()).append(" oifname != ").append(b)
                        .append(" masquerade\n");
            }
        }
        StringBuilder dnat = new StringBuilder();
        for (PortPublisher.Published p : published) {
            for (PortBinding port : p.ports()) {
                dnat.append("    ")
                        .append(port.hostIp().isEmpty() ? "fib daddr type local" : "ip daddr " + port.hostIp())
                        .append(' ').append(port.protocol()).append(" dport ").append(port.hostPort())
                        .append(" dnat to ").append(Ipv4Subnet.format(p.address())).append(':')
                        .append(port.containerPort()).append('\n');
            }
        }
        return "table ip " + table + " {}\n"
                + "delete table ip " + table + "\n"
                + "table ip " + table + " {\n"
                + chain("prerouting", "nat hook prerouting priority dstnat", dnat)
                + chain("output", "nat hook output priority -100", dnat)
                + chain("forward", "filter hook forward priority filter", into.append(outOf))
                + chain("input", "filter hook input priority filter", input)
                + chain("postrouting", "nat hook postrouting priority srcnat", postrouting)
                + "}\n";
    }

    private static String chain(String name, String hook, CharSequence rules) {
        return "  chain " + name + " {\n    type " + hook + "; policy accept;\n" + rules + "  }\n";
    }

    private static String quoted(String name) {
        return "\"" + checkedInterface(name) + "\"";
    }

    static String checkedInterface(String name) {
        if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("invalid interface name: " + name);
        }
        return name;
    }
}
