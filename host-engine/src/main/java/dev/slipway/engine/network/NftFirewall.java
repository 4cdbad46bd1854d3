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
 * Per network (bridge {@code B}, subnet {@code S}):
 * <ul>
 *   <li>forward: replies and traffic between containers of the same bridge pass; anything else entering {@code B}
 *       is dropped (no other network, and nothing outside, can open connections to its containers); traffic
 *       leaving {@code B} passes only when egress is enabled;</li>
 *   <li>input: packets from {@code B} to 127.0.0.0/8 are dropped, so a container cannot reach services bound to
 *       the host's loopback even if it routes such packets to its gateway;</li>
 *   <li>postrouting: {@code S} leaving through another interface is masqueraded (egress NAT).</li>
 * </ul>
 */
final class NftFirewall {

    /** One network's share of the rules. */
    record NetworkRules(String bridge, Ipv4Subnet subnet, boolean egress) {
    }

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

    void apply(List<NetworkRules> networks) throws IOException {
        HostCommand.run(List.of("nft", "-f", "-"), script(networks));
    }

    void remove() throws IOException {
        HostCommand.run(List.of("nft", "-f", "-"), "table ip " + table + " {}\ndelete table ip " + table + "\n");
    }

    String script(List<NetworkRules> networks) {
        StringBuilder forward = new StringBuilder();
        StringBuilder input = new StringBuilder();
        StringBuilder postrouting = new StringBuilder();
        for (NetworkRules n : networks) {
            String b = quoted(n.bridge());
            forward.append("    oifname ").append(b).append(" ct state established,related accept\n")
                    .append("    iifname ").append(b).append(" oifname ").append(b).append(" accept\n")
                    .append("    oifname ").append(b).append(" drop\n")
                    .append("    iifname ").append(b).append(n.egress() ? " accept\n" : " drop\n");
            input.append("    iifname ").append(b).append(" ip daddr 127.0.0.0/8 drop\n");
            if (n.egress()) {
                postrouting.append("    ip saddr ").append(n.subnet()).append(" oifname != ").append(b)
                        .append(" masquerade\n");
            }
        }
        return "table ip " + table + " {}\n"
                + "delete table ip " + table + "\n"
                + "table ip " + table + " {\n"
                + "  chain forward {\n    type filter hook forward priority filter; policy accept;\n" + forward
                + "  }\n"
                + "  chain input {\n    type filter hook input priority filter; policy accept;\n" + input + "  }\n"
                + "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
                + postrouting + "  }\n"
                + "}\n";
    }

    private static String quoted(String name) {
        if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("invalid interface name: " + name);
        }
        return "\"" + name + "\"";
    }
}
