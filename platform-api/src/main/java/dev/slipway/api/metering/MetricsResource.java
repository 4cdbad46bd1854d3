package dev.slipway.api.metering;

import dev.slipway.api.apps.App;
import dev.slipway.api.apps.AppService;
import dev.slipway.api.error.ApiException;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** CPU and memory of an app's instances over the last hour (or since {@code since}), for the dashboard's charts. */
@Path("/api/v1/tenants/{tenant}/apps/{app}/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    public record Point(Instant at, Double cpuCores, long memoryBytes, long memoryLimitBytes) {
    }

    public record InstanceMetrics(UUID instanceId, List<Point> points) {
    }

    public record Metrics(List<InstanceMetrics> instances) {
    }

    @Inject
    AppService apps;

    @Inject
    InstanceSamples samples;

    @GET
    @Transactional
    public Metrics get(@PathParam("tenant") String tenant, @PathParam("app") String appName,
            @QueryParam("since") String since) {
        App app = apps.read(tenant, appName);
        Instant from = since == null || since.isBlank() ? Instant.now().minus(Duration.ofHours(1)) : parse(since);
        Map<UUID, List<Point>> byInstance = new LinkedHashMap<>();
        for (InstanceSamples.Point p : samples.points(app.id, from)) {
            byInstance.computeIfAbsent(p.instanceId(), k -> new ArrayList<>())
                    .add(new Point(p.at(), p.cpuCores(), p.memoryBytes(), p.memoryLimitBytes()));
        }
        return new Metrics(byInstance.entrySet().stream()
                .map(e -> new InstanceMetrics(e.getKey(), e.getValue())).toList());
    }

    private static Instant parse(String since) {
        try {
            return OffsetDateTime.parse(since).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField("since", "must be an RFC 3339 time such as 2026-11-23T18:00:00Z");
        }
    }
}
