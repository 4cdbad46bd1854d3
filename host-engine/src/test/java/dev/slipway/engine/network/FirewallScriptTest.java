package dev.slipway.engine.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of the rules both firewall backends write: with two networks, every "into a network" rule comes before
 * any "out of a network" accept, so one network's egress can never let its containers into the other network
 * (the end-to-end proof is in UserNetworksIT and IptablesFirewallIT; this pins the reason).
 */
class FirewallScriptTest {

    private static final List<Firewall.NetworkRules> TWO = List.of(
            new Firewall.NetworkRules("slntx1", Ipv4Subnet.parse("10.220.1.0/24"), true, false),
            new Firewall.NetworkRules("slntx2", Ipv4Subnet.parse("10.220.2.0/24"), true, true));
    private static final List<PortPublisher.Published> PORTS = List.of(new PortPublisher.Published("c1", "slntx1",
            Ipv4Subnet.parseAddress("10.220.1.2"), List.of(new PortBinding("tcp", 8080, "", 18080))));

    @Test
    void nftablesDropsIntoEveryNetworkBeforeAcceptingEgress() {
        String script = new NftFirewall("slipway_slntx").script(TWO, PORTS);
        int lastDropInto = script.lastIndexOf("oifname \"slntx2\" drop");
        int firstEgress = script.indexOf("iifname \"slntx1\" accept");
        assertTrue(lastDropInto > 0 && firstEgress > lastDropInto, script);
        assertTrue(script.contains("fib daddr type local tcp dport 18080 dnat to 10.220.1.2:8080"), script);
        assertTrue(script.contains("iifname \"slntx2\" ip daddr 10.220.2.1 meta l4proto { tcp, udp } th dport 53 accept"),
                script);
        assertTrue(!script.contains("ip daddr 10.220.1.1 meta l4proto"), "no resolver on a network without one");
    }

    @Test
    void iptablesDropsIntoEveryNetworkBeforeAcceptingEgress() {
        String script = new IptablesFirewall("slntx").script(TWO, PORTS);
        int lastDropInto = script.lastIndexOf("-o slntx2 -j DROP");
        int firstEgress = script.indexOf("-i slntx1 -j ACCEPT");
        assertTrue(lastDropInto > 0 && firstEgress > lastDropInto, script);
        assertTrue(script.contains("-m addrtype --dst-type LOCAL -p tcp -m tcp --dport 18080 -j DNAT "
                + "--to-destination 10.220.1.2:8080"), script);
    }
}
