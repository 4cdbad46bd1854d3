package dev.slipway.billing.metering;

import dev.slipway.billing.UsageRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link UsageRepository} in memory, for tests and tools; one lock makes each commit atomic. */
public final class InMemoryUsageRepository implements UsageRepository {

    private final Map<String, InstanceCursor> cursors = new HashMap<>();
    private final Map<String, UsageRecord> records = new LinkedHashMap<>();

    @Override
    public synchronized Optional<InstanceCursor> cursor(String instance) {
        return Optional.ofNullable(cursors.get(instance));
    }

    @Override
    public synchronized boolean commit(Optional<InstanceCursor> expected, InstanceCursor next, List<UsageRecord> batch) {
        if (!Objects.equals(expected.orElse(null), cursors.get(next.instance()))) {
            return false;
        }
        cursors.put(next.instance(), next);
        batch.forEach(r -> records.putIfAbsent(r.idempotencyKey(), r));
        return true;
    }

    @Override
    public synchronized List<UsageRecord> usage(String tenant, Instant from, Instant to) {
        var result = new ArrayList<UsageRecord>();
        for (UsageRecord r : records.values()) {
            boolean overlaps = r.start().isBefore(to) && (r.end().isAfter(from) || r.start().equals(from));
            if (r.tenant().equals(tenant) && overlaps) {
                result.add(r);
            }
        }
        result.sort(Comparator.comparing(UsageRecord::start));
        return result;
    }
}
