package dev.slipway.engine.network;

import java.io.IOException;
import java.util.List;
import java.util.logging.Logger;

/**
 * The engine's packet filter and NAT rules for its networks and published ports. Whatever the backend, the rules
 * are the same (see {@link NftFirewall} for what they do and why) and live only in places the engine owns, so
 * that the host's own rules are never edited.
 *
 * Lifecycle: {@link #apply} at engine start and after every change of networks or published ports, each time
 * with the complete state (it replaces whatever the engine applied before, in one transaction per table) →
 * {@link #remove} to take everything away (tests, uninstall). An engine that stops leaves the rules in place,
 * so running containers keep their connectivity; the next start's {@link #apply} replaces them.
 */
interface Firewall {

    /** One network's share of the rules. */
    record NetworkRules(String bridge, Ipv4Subnet subnet, boolean egress, boolean dns) {
    }

    void apply(List<NetworkRules> networks, List<PortPublisher.Published> published) throws IOException;

    void remove() throws IOException;

    /** Which backend: "nftables" or "iptables". */
    String kind();

    /**
     * nftables when {@code nft} works on this host, else iptables ({@code iptables-restore}); {@code forced}
     * ("nftables", "iptables" or null/empty for detection) overrides. The engine logs the choice.
     */
    static Firewall forHost(String name, String forced) throws IOException {
        Logger log = Logger.getLogger(Firewall.class.getName());
        boolean nft = works("nft", "list", "tables");
        boolean iptables = works("iptables-restore", "--version") && works("iptables", "-w", "-L", "-n");
        String choice = forced != null && !forced.isEmpty() ? forced : nft ? "nftables" : iptables ? "iptables" : "";
        Firewall firewall = switch (choice) {
            case "nftables" -> {
                if (!nft) {
                    throw new IOException("firewall nftables was asked for, but `nft list tables` fails on this host");
                }
                yield new NftFirewall("slipway_" + name.replaceAll("[^A-Za-z0-9_]", "_"));
            }
            case "iptables" -> {
                if (!iptables) {
                    throw new IOException("firewall iptables was asked for, but iptables/iptables-restore fail on this"
                            + " host");
                }
                yield new IptablesFirewall(name);
            }
            case "" -> throw new IOException("neither nftables (nft) nor iptables (iptables, iptables-restore) works "
                    + "on this host; install one (Debian: apt-get install nftables)");
            default -> throw new IOException("unknown firewall " + forced + " (nftables or iptables)");
        };
        log.info("firewall: " + firewall.kind() + (forced != null && !forced.isEmpty() ? " (as configured)"
                : nft ? " (nft works)" : " (nft is not available; falling back to iptables)"));
        return firewall;
    }

    private static boolean works(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
