package dev.slipway.billing.metering;

import dev.slipway.billing.UsageRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable store of usage records and of each instance's {@link InstanceCursor}.
 *
 * <p>Lifecycle of an instance's metering: no cursor (never reported) → {@link #commit} with an empty
 * {@code expected} creates the cursor together with the first records → every later report commits the
 * records of the interval since the cursor and moves the cursor forward → a final commit with an
 * {@linkplain InstanceCursor#end() ended} cursor and no records closes it for good.
 *
 * <p>{@link #commit} is the only write and is atomic: the records become visible together with the new
 * cursor, or neither does. It is also a compare-and-set on the cursor, so several API replicas may meter
 * the same instance concurrently: exactly one wins each step, and the loser re-reads and finds the report
 * already metered. A record whose {@link UsageRecord#idempotencyKey()} is already stored is skipped, never
 * stored twice. Implementations: the in-memory one here, and PostgreSQL in platform-api; both pass
 * the same contract tests.
 */
public interface UsageRepository {

    /** The instance's cursor, or empty if it has never been metered. */
    Optional<InstanceCursor> cursor(String instance);

    /**
     * Stores {@code records} and moves the instance's cursor from {@code expected} to {@code next}.
     *
     * @return false, storing nothing, if the cursor is no longer {@code expected} (someone else moved it)
     */
    boolean commit(Optional<InstanceCursor> expected, InstanceCursor next, List<UsageRecord> records);

    /** Records of {@code tenant} whose interval overlaps {@code [from, to)}, ordered by start. */
    List<UsageRecord> usage(String tenant, Instant from, Instant to);
}
