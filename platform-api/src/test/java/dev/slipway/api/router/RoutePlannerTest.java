package dev.slipway.api.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.router.RoutePlanner.AppRow;
import dev.slipway.api.router.RoutePlanner.InstanceRow;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {

    private final UUID appId = UUID.randomUUID();
    private final UUID v1 = UUID.randomUUID();
    private final UUID v2 = UUID.randomUUID();

    private AppRow app(UUID current, int replicas, String releaseStatus) {
        return new AppRow(appId, "demo", "web", current, replicas, releaseStatus);
    }

    private InstanceRow instance(UUID release, String state, boolean healthy, String endpoint) {
        return new InstanceRow(appId, release, state, healthy, endpoint, "running");
    }

    @Test
    void prefersHealthyInstancesOfTheCurrentRelease() {
        Route route = RoutePlanner.plan(app(v2, 2, "pending"), List.of(
                instance(v1, "running", true, "10.0.0.1:80"),
                instance(v2, "running", true, "10.0.0.2:80"),
                instance(v2, "starting", false, "10.0.0.3:80")));
        assertEquals("running", route.state());
        assertEquals(List.of(new Endpoint("10.0.0.2", 80)), route.endpoints());
        assertEquals(new AppAddress("demo", "web"), route.address());
    }

    @Test
    void fallsBackToAnyHealthyInstanceDuringARollout() {
        Route route = RoutePlanner.plan(app(v2, 1, "pending"), List.of(
                instance(v1, "running", true, "10.0.0.1:80"),
                instance(v2, "starting", false, "10.0.0.2:80")));
        assertEquals(List.of(new Endpoint("10.0.0.1", 80)), route.endpoints());
    }

    @Test
    void skipsInstancesToStopUnhealthyOnesAndBadEndpoints() {
        Route route = RoutePlanner.plan(app(v1, 1, "running"), List.of(
                new InstanceRow(appId, v1, "running", true, "10.0.0.1:80", "stopped"),
                instance(v1, "running", true, null),
                instance(v1, "running", true, "no-port"),
                instance(v1, "running", true, "[fd00::1]:8080")));
        assertEquals(List.of(new Endpoint("fd00::1", 8080)), route.endpoints());
    }

    @Test
    void namesTheStateWhenNothingIsRoutable() {
        assertEquals("not-deployed", RoutePlanner.plan(app(null, 1, null), List.of()).state());
        assertEquals("stopped", RoutePlanner.plan(app(v1, 0, "running"), List.of()).state());
        assertEquals("crash-loop", RoutePlanner.plan(app(v1, 2, "pending"),
                List.of(instance(v1, "running", false, "a:1"), instance(v1, "crash-loop", false, null))).state());
        assertEquals("failed", RoutePlanner.plan(app(v1, 1, "failed"), List.of()).state());
        assertEquals("failed", RoutePlanner.plan(app(v1, 1, "pending"),
                List.of(instance(v1, "failed", false, null))).state());
        assertEquals("pending", RoutePlanner.plan(app(v1, 1, "pending"),
                List.of(instance(v1, "pending", false, null))).state());
        assertEquals("deploying", RoutePlanner.plan(app(v1, 1, "pending"),
                List.of(instance(v1, "pulling", false, null))).state());
        assertEquals("deploying", RoutePlanner.plan(app(v1, 1, "pending"), List.of()).state());
    }
}
