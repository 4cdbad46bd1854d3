package dev.slipway.engine.network;

import java.time.Instant;
import java.util.Map;

/**
 * One network as {@code docker network inspect} knows it. The default network ({@code bridge}) is described by
 * the engine's configuration; user-defined ones are persisted by {@link NetworkStore}.
 *
 * @param id       64 hex digits
 * @param bridge   its Linux bridge
 * @param internal no egress (no route out through the host, no masquerade)
 * @param labels   {@code --label}s; {@code slipway.tenant} marks a tenant's network
 */
public record NetworkRecord(String id, String name, String bridge, Ipv4Subnet subnet, boolean internal,
                            Map<String, String> labels, Instant created) {

    public static final String TENANT_LABEL = "slipway.tenant";

    public NetworkRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The tenant whose network this is, if any. */
    public String tenant() {
        return labels.get(TENANT_LABEL);
    }

    /** Whether the engine's resolver serves this network (user-defined networks, as in Docker). */
    boolean userDefined() {
        return !name.equals(BridgeNetworking.NETWORK_NAME);
    }
}
