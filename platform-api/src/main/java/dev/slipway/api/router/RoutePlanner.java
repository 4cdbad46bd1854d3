package dev.slipway.api.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Decides an app's route from its rows: the healthy, reported endpoints of instances that should run, preferring
 * the current release's (so a rollout switches traffic once the new instances are healthy) and falling back to any
 * release's (so traffic keeps flowing while a new release starts, or after an automatic rollback). With none, it
 * names the app's state for the 503 page. Pure: no I/O, so it is tested without a database.
 */
final class RoutePlanner {

    /** The columns of an app the router needs. {@code releaseStatus} is the current release's, or null. */
    record AppRow(UUID id, String tenant, String name, UUID currentReleaseId, int desiredReplicas,
            String releaseStatus) {
    }

    /** The columns of an instance the router needs. */
    record InstanceRow(UUID appId, UUID releaseId, String state, boolean healthy, String endpoint,
            String desiredState) {
    }

    private RoutePlanner() {
    }

    static Route plan(AppRow app, List<InstanceRow> instances) {
        List<Endpoint> current = new ArrayList<>();
        List<Endpoint> any = new ArrayList<>();
        for (InstanceRow instance : instances) {
            if (!"running".equals(instance.desiredState()) || !instance.healthy()) {
                continue;
            }
            Endpoint.parse(instance.endpoint()).ifPresent(endpoint -> {
                any.add(endpoint);
                if (Objects.equals(instance.releaseId(), app.currentReleaseId())) {
                    current.add(endpoint);
                }
            });
        }
        List<Endpoint> endpoints = current.isEmpty() ? any : current;
        String state = endpoints.isEmpty() ? unavailableState(app, instances) : "running";
        return new Route(app.id(), new AppAddress(app.tenant(), app.name()), state, endpoints);
    }

    /** Why an app has nothing to route to, in the words the dashboard uses. */
    static String unavailableState(AppRow app, List<InstanceRow> instances) {
        if (app.currentReleaseId() == null) {
            return "not-deployed";
        }
        if (app.desiredReplicas() == 0) {
            return "stopped";
        }
        List<InstanceRow> ofCurrent = instances.stream()
                .filter(i -> "running".equals(i.desiredState()) && app.currentReleaseId().equals(i.releaseId()))
                .toList();
        if (ofCurrent.stream().anyMatch(i -> "crash-loop".equals(i.state()))) {
            return "crash-loop";
        }
        if ("failed".equals(app.releaseStatus()) || ofCurrent.stream().anyMatch(i -> "failed".equals(i.state()))) {
            return "failed";
        }
        if (!ofCurrent.isEmpty() && ofCurrent.stream().allMatch(i -> "pending".equals(i.state()))) {
            return "pending";
        }
        return "deploying";
    }
}
