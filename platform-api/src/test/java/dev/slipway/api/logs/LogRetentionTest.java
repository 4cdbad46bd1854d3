package dev.slipway.api.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.testsupport.Db;
import dev.slipway.api.workers.WorkerLogSink;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention by age and size, day partitions, and logs going with their app, against real PostgreSQL. */
@QuarkusTest
class LogRetentionTest {

    @Inject
    WorkerLogSink sink;

    @Inject
    LogRetention retention;

    @Test
    void oldLinesGoThenTheOldestBeyondTheSizeLimit() {
        LogFixture fx = LogFixture.create("logsretain");
        UUID instance = fx.instance(fx.workerId());
        sink.store(fx.workerId(), LogFixture.numbered(instance, 0, 100)); // "line 0" .. "line 99"
        Db.update("UPDATE log_lines SET stored_at = now() - interval '10 days' WHERE app_id = ? AND seq < 40",
                fx.appId());

        retention.trim(fx.appId(), Duration.ofDays(7), Long.MAX_VALUE);
        assertEquals(60, Db.count("SELECT count(*) FROM log_lines WHERE app_id = ?", fx.appId()));
        assertEquals(0, Db.count("SELECT count(*) FROM log_lines WHERE app_id = ? AND seq < 40", fx.appId()));
        assertEquals(Db.count("SELECT sum(octet_length(line)) FROM log_lines WHERE app_id = ?", fx.appId()),
                Db.count("SELECT stored_bytes FROM log_heads WHERE app_id = ?", fx.appId()),
                "the app's byte total follows the deletes");

        long limit = "line 90".length() * 10L; // room for the newest ten lines
        retention.trim(fx.appId(), Duration.ofDays(7), limit);
        assertEquals(10, Db.count("SELECT count(*) FROM log_lines WHERE app_id = ?", fx.appId()));
        assertEquals(90, Db.count("SELECT min(seq) FROM log_lines WHERE app_id = ?", fx.appId()),
                "the oldest lines went first");
        assertTrue(Db.count("SELECT stored_bytes FROM log_heads WHERE app_id = ?", fx.appId()) <= limit);

        // what is left of the log still reads and resumes normally
        fx.owner().api().get(fx.logs()).then().statusCode(200);
        sink.store(fx.workerId(), LogFixture.numbered(instance, 100, 101));
        assertEquals(11, Db.count("SELECT count(*) FROM log_lines WHERE app_id = ?", fx.appId()));
    }

    @Test
    void aRoundCreatesDayPartitionsAheadAndAnAppsDeletionTakesItsLogs() {
        retention.run(); // the start-up round already made them; this one may find nothing to do
        String tomorrow = "log_lines_" + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneOffset.UTC)
                .plusDays(1));
        assertEquals(1, Db.count("SELECT count(*) FROM pg_class WHERE relname = ?", tomorrow));

        LogFixture fx = LogFixture.create("logsdelete");
        sink.store(fx.workerId(), LogFixture.numbered(fx.instance(fx.workerId()), 0, 10));
        assertEquals(10, Db.count("SELECT count(*) FROM log_lines WHERE app_id = ?", fx.appId()));
        assertEquals(0, Db.count("SELECT count(*) FROM log_lines_default WHERE app_id = ?", fx.appId()),
                "new lines land in day partitions");
        Db.update("DELETE FROM instances WHERE app_id = ?", fx.appId());
        fx.owner().api().delete("/api/v1/tenants/" + fx.tenant() + "/apps/web").then().statusCode(204);
        assertEquals(0, Db.count("SELECT count(*) FROM log_lines WHERE app_id = ?", fx.appId()));
    }
}
