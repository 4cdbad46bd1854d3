package dev.slipway.api.metering;

import java.math.BigDecimal;
import java.util.UUID;

/** An instance as metering needs it: whose it is and what its release reserves. */
record MeteredInstance(UUID instanceId, UUID appId, String appName, String tenantName, BigDecimal cpu,
        int memoryMb) {
}
