package dev.slipway.engine.network;

import java.nio.file.Path;

/**
 * The engine's default bridge network.
 *
 * @param bridge     Linux bridge interface name (at most 15 characters), e.g. {@code slipway0}
 * @param subnet     the address pool; the first host address is the bridge's (the containers' gateway)
 * @param egress     masquerade traffic leaving the bridge (containers reach the outside through the host)
 * @param stateDir   where address leases live (under the engine's data dir)
 * @param netnsDir   where containers' namespaces are pinned, e.g. {@code /run/slipway/netns}
 * @param resolvConf the host's resolver file, copied (minus loopback nameservers) into containers; the networks'
 *                   resolvers forward to its nameservers
 * @param networkPool where user-defined networks get their /24s from when created without a subnet
 * @param firewall    "nftables" or "iptables" to force a backend; null or empty to detect (nft if it works)
 */
public record BridgeConfig(String bridge, Ipv4Subnet subnet, boolean egress, Path stateDir, Path netnsDir,
                           Path resolvConf, Ipv4Subnet networkPool, String firewall) {

    public static final String DEFAULT_NETWORK_POOL = "10.212.0.0/14";

    /** User-defined networks from {@link #DEFAULT_NETWORK_POOL}. */
    public BridgeConfig(String bridge, Ipv4Subnet subnet, boolean egress, Path stateDir, Path netnsDir,
                        Path resolvConf) {
        this(bridge, subnet, egress, stateDir, netnsDir, resolvConf, Ipv4Subnet.parse(DEFAULT_NETWORK_POOL), null);
    }

    public static final String DEFAULT_BRIDGE = "slipway0";
    public static final String DEFAULT_SUBNET = "10.209.0.0/16";

    public BridgeConfig {
        if (!bridge.matches("[A-Za-z][A-Za-z0-9_.-]{0,14}")) {
            throw new IllegalArgumentException("invalid bridge name (1-15 letters, digits, _ . -): " + bridge);
        }
        if (subnet.prefix() > 30) {
            throw new IllegalArgumentException("bridge subnet " + subnet + " is too small (at most /30)");
        }
    }
}
