package dev.slipway.api.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouteBalancingTest {

    private final Endpoint a = new Endpoint("10.0.0.1", 80);
    private final Endpoint b = new Endpoint("10.0.0.2", 80);
    private final Endpoint c = new Endpoint("10.0.0.3", 80);
    private final AtomicLong now = new AtomicLong();
    private final UnreachableEndpoints unreachable = new UnreachableEndpoints(Duration.ofSeconds(2), now::get);
    private final Route route = new Route(UUID.randomUUID(), new AppAddress("t", "a"), "running", List.of(a, b, c));

    @Test
    void roundRobinSpreadsEvenly() {
        Map<Endpoint, Integer> picks = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            picks.merge(route.next(Set.of(), unreachable), 1, Integer::sum);
        }
        assertEquals(Map.of(a, 10, b, 10, c, 10), picks);
    }

    @Test
    void aRequestTriesEachEndpointOnceThenGivesUp() {
        Set<Endpoint> tried = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            tried.add(route.next(tried, unreachable));
        }
        assertEquals(Set.of(a, b, c), tried);
        assertNull(route.next(tried, unreachable));
    }

    @Test
    void unreachableEndpointsAreSkippedDuringTheirCooldownUnlessNothingElseIsLeft() {
        unreachable.markUnreachable(a);
        unreachable.markUnreachable(b);
        for (int i = 0; i < 6; i++) {
            assertEquals(c, route.next(Set.of(), unreachable));
        }
        Endpoint fallback = route.next(Set.of(c), unreachable);
        assertEquals(true, fallback.equals(a) || fallback.equals(b), "a cooling endpoint is still better than none");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        Set<Endpoint> picks = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            picks.add(route.next(Set.of(), unreachable));
        }
        assertEquals(Set.of(a, b, c), picks, "after the cooldown every endpoint takes traffic again");
    }
}
