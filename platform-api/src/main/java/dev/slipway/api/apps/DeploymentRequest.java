package dev.slipway.api.apps;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Body of {@code POST .../apps/{app}/deployments}; everything but {@code image} has a default. */
public record DeploymentRequest(String image, List<String> command, Map<String, String> env, Integer port,
        Integer replicas, Resources resources, HealthCheck healthCheck) {

    /** Limits of each instance. */
    public record Resources(BigDecimal cpu, Integer memoryMb, Integer pids) {
    }

    /** HTTP GET probe against the instance's port; 2xx/3xx is healthy. */
    public record HealthCheck(String path, Integer intervalSeconds, Integer timeoutSeconds) {
    }
}
