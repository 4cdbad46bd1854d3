package dev.slipway.api.router;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The router's end-to-end tests: the periodic refresh is pushed out of the way so that a route change seen within
 * a test can only have come through an event, and the response timeout is short so a 504 comes quickly. The
 * scheduler is off: these tests write instance rows as the scheduler and workers would, and a running scheduler
 * would reconcile them (roll back a release that never turns healthy, stop instances of an older release).
 */
public class RouterTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("slipway.router.refresh-interval", "PT1H",
                "slipway.router.response-timeout", "PT2S",
                "slipway.router.connect-timeout", "PT2S",
                "slipway.scheduler.enabled", "false");
    }
}
