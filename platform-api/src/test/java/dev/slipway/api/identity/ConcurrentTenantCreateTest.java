package dev.slipway.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many users racing to create one tenant name: exactly one wins, everyone else gets 409. */
@QuarkusTest
class ConcurrentTenantCreateTest {

    private static final int RACERS = 6;

    @Test
    void exactlyOneTenantAndOneOwner() throws Exception {
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            users.add(TestUser.create("racer"));
        }
        String name = TestUser.uniqueName("contested");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (TestUser user : users) {
                results.add(pool.submit(() -> {
                    start.await();
                    return user.api().body(Map.of("name", name)).post("/api/v1/tenants").statusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> result : results) {
                codes.add(result.get());
            }
            assertEquals(1, Collections.frequency(codes, 201), codes.toString());
            assertEquals(RACERS - 1, Collections.frequency(codes, 409), codes.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, Db.count("SELECT count(*) FROM tenants WHERE name = ?", name));
        assertEquals(1, Db.count("SELECT count(*) FROM memberships m JOIN tenants t ON t.id = m.tenant_id"
                + " WHERE t.name = ?", name));
        assertEquals(1, Db.count("SELECT count(*) FROM audit_entries WHERE tenant_name = ? AND action = ?",
                name, "tenant.create"));
    }
}
