package dev.slipway.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.runtime.ContainerLog.Record;
import dev.slipway.engine.testing.RuntimeFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The log files written by the real monitor, read back while and after they are written. */
class LogFileReaderTest {
    private static RuntimeFixture fx;
    private static Path counted; // 100000 lines "1".."100000", written across several rotated files
    private static final int LINES = 100_000;
    private static final List<Record> followed = new ArrayList<>();

    @BeforeAll
    static void writeALogWhileFollowingIt() throws Exception {
        fx = RuntimeFixture.get(); // rotates at 1 MiB, keeps 20 files
        RuntimeSpec spec = fx.spec("seq", "1", Integer.toString(LINES));
        counted = spec.stateDir();
        RunningContainer c = fx.runtime.start(spec);
        try {
            fx.log.read(counted, -1, -1, true, r -> true, followed::add);
            assertEquals(0, c.onExit().get(30, TimeUnit.SECONDS).exitCode());
        } finally {
            c.destroy();
        }
    }

    @Test
    void followerSeesEveryLineOnceInOrderAcrossRotation() throws Exception {
        assertTrue(Files.exists(counted.resolve("log.2")), "the test must span rotated files");
        assertEquals(LINES, followed.size());
        for (int i = 0; i < LINES; i++) {
            Record r = followed.get(i);
            assertEquals(i, r.sequence());
            assertEquals(Integer.toString(i + 1), new String(r.bytes()));
            assertEquals(Record.STDOUT, r.stream());
            assertFalse(r.partial());
        }
        for (int i = 1; i < LINES; i++) {
            assertFalse(followed.get(i).timestamp().isBefore(followed.get(i - 1).timestamp()));
        }
    }

    @Test
    void readsFromASequenceNumber() throws Exception {
        List<String> rest = new ArrayList<>();
        fx.log.read(counted, LINES - 6, -1, false, r -> true, r -> rest.add(new String(r.bytes())));
        assertEquals(List.of("99996", "99997", "99998", "99999", "100000"), rest);
    }

    @Test
    void tailDeliversTheLastMatchingRecords() throws Exception {
        List<String> tail = new ArrayList<>();
        fx.log.read(counted, -1, 3, false, r -> r.bytes().length == 4, r -> tail.add(new String(r.bytes())));
        assertEquals(List.of("9997", "9998", "9999"), tail);
        List<String> none = new ArrayList<>();
        fx.log.read(counted, -1, 0, false, r -> true, r -> none.add(new String(r.bytes())));
        assertEquals(List.of(), none);
    }

    @Test
    void readsFromATimeWithAFilterAndStopsWhenTheConsumerSaysSo() throws Exception {
        Instant middle = followed.get(LINES / 2).timestamp();
        List<Record> got = new ArrayList<>();
        fx.log.read(counted, -1, -1, false, r -> !r.timestamp().isBefore(middle), r -> got.add(r) && got.size() < 10);
        assertEquals(10, got.size());
        assertFalse(got.get(0).timestamp().isBefore(middle));
        assertTrue(got.get(0).sequence() <= LINES / 2);
    }

    @Test
    void longLinesAreSplitIntoPartialRecordsAndAnUnfinishedLastLineIsPartial() throws Exception {
        RuntimeFixture.Result r = fx.run(fx.spec("sh", "-c",
                "head -c 40000 /dev/zero | tr '\\0' a; echo; printf end"));
        List<Record> records = new ArrayList<>();
        fx.log.read(r.stateDir(), -1, -1, false, x -> true, records::add);
        assertEquals(List.of(16384, 16384, 7232, 3), records.stream().map(x -> x.bytes().length).toList());
        assertEquals(List.of(true, true, false, true), records.stream().map(Record::partial).toList());
        assertArrayEquals("end".getBytes(), records.get(3).bytes());
    }

    @Test
    void monitorKeepsUpWithAHundredThousandLinesPerSecond() throws Exception {
        int lines = 1_000_000;
        RuntimeSpec spec = fx.spec("seq", "1", Integer.toString(lines));
        long t0 = System.nanoTime();
        RunningContainer c = fx.runtime.start(spec);
        try {
            c.onExit().get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] count = {0};
            fx.log.read(spec.stateDir(), lines - 2, -1, false, r -> true, r -> ++count[0] > 0);
            assertEquals(1, count[0], "the last line is in the log");
            System.out.printf("monitor logged %d lines in %.2f s (%.0f lines/s)%n", lines, seconds, lines / seconds);
            assertTrue(lines / seconds > 100_000, lines / seconds + " lines/s");
        } finally {
            c.destroy();
        }
    }

}
