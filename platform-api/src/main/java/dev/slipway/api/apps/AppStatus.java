package dev.slipway.api.apps;

import java.util.List;

/**
 * The one-word state of an app that the API and the router show, derived from its rows each time:
 * {@code new} (never deployed), {@code stopped} (scaled to 0), {@code failed} (its current release failed and
 * nothing older runs), {@code deploying} (a rollout is in progress), {@code crash-loop} (an instance of the current
 * release keeps exiting), {@code pending} (an instance of the current release waits for a worker), {@code running}.
 * The reason says what went wrong, including a rollout that failed and was rolled back.
 */
record AppStatus(String status, String reason) {

    static AppStatus of(App app, Release current, List<Instance> rows) {
        if (current == null) {
            return new AppStatus("new", null);
        }
        String rolledBack = null;
        if (app.lastRelease > current.version) {
            Release newest = Release.find(app.id, app.lastRelease).orElse(null);
            if (newest != null && "failed".equals(newest.status)) {
                rolledBack = newest.statusReason;
            }
        }
        if (app.desiredReplicas == 0) {
            return new AppStatus("stopped", rolledBack);
        }
        if ("failed".equals(current.status)) {
            return new AppStatus("failed", current.statusReason);
        }
        List<Instance> mine = rows.stream().filter(i -> i.wanted() && i.releaseId.equals(current.id)).toList();
        for (Instance i : mine) {
            if ("crash-loop".equals(i.state)) {
                return new AppStatus("crash-loop", "instance " + i.id + " exited with code " + i.lastExitCode
                        + (i.oomKilled ? " (OOM-killed)" : "") + " and is restarted with back-off");
            }
        }
        if ("pending".equals(current.status)) {
            return new AppStatus("deploying", rolledBack);
        }
        for (Instance i : mine) {
            if ("pending".equals(i.state)) {
                return new AppStatus("pending", i.stateReason);
            }
        }
        return new AppStatus("running", rolledBack);
    }
}
