package dev.slipway.engine.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.runtime.RunningContainer;
import dev.slipway.engine.runtime.RuntimeSpec;
import dev.slipway.engine.testing.RuntimeFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The log shipper against the real runtime (a container printing numbered lines into the monitor's log files)
 * and an in-memory API that acknowledges like the real one: lost streams, an engine that dies without a word,
 * a window that fills, long lines.
 */
class LogShipperTest {
    private static RuntimeFixture fx;

    @BeforeAll
    static void runtime() throws Exception {
        fx = RuntimeFixture.get();
    }

    private static RuntimeSpec numbered(int count) throws Exception {
        return fx.spec("sh", "-c", "i=0; while [ $i -lt " + count + " ]; do echo \"line $i\"; i=$((i+1)); done");
    }

    @Test
    void everyLineArrivesOnceInOrderThroughLostStreamsAndAnEngineKilledWithoutWarning() throws Exception {
        int total = 30_000;
        RuntimeSpec spec = numbered(total);
        Path shipState = Files.createTempDirectory(fx.dataDir, "ship");
        FakeApi api = new FakeApi();
        RunningContainer container = fx.runtime.start(spec);
        try {
            FakeApi.Connection first = api.new Connection();
            LogShipper shipper = new LogShipper(shipState, id -> spec.stateDir(), fx.log, first,
                    LogShipper.Settings.DEFAULT);
            api.shipper = shipper;
            shipper.track("inst-1", spec.id());
            shipper.onConnected();
            await(() -> api.storedCount("inst-1") > 3000, "first lines arrive");

            // the stream breaks; what was in flight is lost with it; a new stream comes up
            first.cut();
            shipper.onDisconnected();
            FakeApi.Connection second = api.new Connection();
            LogShipper onSecond = shipper;
            // the old shipper object keeps its outbox; model the agent's one outbox by a relay
            Relay relay = new Relay(second);
            LogShipper resumed = new LogShipper(shipState, id -> spec.stateDir(), fx.log, relay,
                    LogShipper.Settings.DEFAULT);
            onSecond.close(); // the same process would have kept one shipper; this also saves cursors on disk
            api.shipper = resumed;
            resumed.track("inst-1", spec.id());
            resumed.onConnected();
            await(() -> api.storedCount("inst-1") > 10_000, "lines keep arriving after the reconnect");

            // kill -9 of the engine: no close, no cursor flush; a new process starts from whatever is on disk
            second.cut();
            api.shipper = null;
            FakeApi.Connection third = api.new Connection();
            LogShipper afterCrash = new LogShipper(shipState, id -> spec.stateDir(), fx.log, third,
                    LogShipper.Settings.DEFAULT);
            api.shipper = afterCrash;
            afterCrash.track("inst-1", spec.id());
            afterCrash.onConnected();
            container.onExit().get(2, TimeUnit.MINUTES);
            await(() -> api.storedCount("inst-1") == total, "all lines stored");
            List<LogShipper.WireRecord> lines = api.lines("inst-1");
            for (int i = 0; i < total; i++) {
                assertEquals("line " + i, lines.get(i).line());
                assertEquals(i, lines.get(i).seq());
            }
            await(() -> ShippingCursor.load(shipState.resolve("inst-1.cursor"), "inst-1", spec.id())
                    .ackedWireSeq() == total - 1, "the cursor on disk reaches the last line");
            assertTrue(api.largestFrame.get() < 256 * 1024, "frame of " + api.largestFrame.get() + " bytes");
            resumed.close();
            afterCrash.close();
        } finally {
            container.destroy();
        }
    }

    @Test
    void aFullWindowStopsSendingUntilAcknowledged() throws Exception {
        int total = 5000;
        RuntimeSpec spec = numbered(total);
        fx.run(spec); // finished: the whole log is on disk
        FakeApi api = new FakeApi();
        api.acking.set(false);
        LogShipper shipper = new LogShipper(Files.createTempDirectory(fx.dataDir, "ship"), id -> spec.stateDir(),
                fx.log, api.new Connection(), new LogShipper.Settings(100, 1 << 20, 1000, 16L << 20, 50, 50));
        api.shipper = shipper;
        try {
            shipper.track("inst-w", spec.id());
            shipper.onConnected();
            await(() -> api.received.get() == 1000, "a window's worth is sent");
            Thread.sleep(300); // give it every chance to send more than it may
            assertEquals(1000, api.received.get(), "nothing beyond the window without acknowledgements");
            api.acking.set(true);
            shipper.onAck(java.util.Map.of("inst-w", 999L));
            await(() -> api.storedCount("inst-w") == total, "acknowledgements open the window again");
            assertTrue(api.duplicates.get() == 0);
        } finally {
            shipper.close();
        }
    }

    @Test
    void linesOver16KiBArriveAsPartialPiecesAndANewContainerContinuesTheSequence() throws Exception {
        RuntimeSpec longLine = fx.spec("sh", "-c", "head -c 40000 /dev/zero | tr '\\0' a; echo; echo after;"
                + " i=0; while [ $i -lt 40 ]; do head -c 16000 /dev/zero | tr '\\0' '\\001'; echo; i=$((i+1)); done");
        fx.run(longLine);
        RuntimeSpec next = numbered(3);
        fx.run(next);
        FakeApi api = new FakeApi();
        Path state = Files.createTempDirectory(fx.dataDir, "ship");
        java.util.Map<String, Path> dirs = java.util.Map.of(longLine.id(), longLine.stateDir(), next.id(),
                next.stateDir());
        LogShipper shipper = new LogShipper(state, dirs::get, fx.log, api.new Connection(),
                LogShipper.Settings.DEFAULT);
        api.shipper = shipper;
        try {
            shipper.track("inst-l", longLine.id());
            shipper.onConnected();
            await(() -> api.storedCount("inst-l") == 44, "three pieces, a short line, 40 lines of escapes");
            List<LogShipper.WireRecord> lines = api.lines("inst-l").subList(0, 4);
            assertEquals(List.of(16384, 16384, 40000 - 2 * 16384, 5),
                    lines.stream().map(r -> r.line().length()).toList());
            assertEquals(List.of(true, true, false, false), lines.stream().map(LogShipper.WireRecord::partial).toList());
            await(() -> ShippingCursor.load(state.resolve("inst-l.cursor"), "inst-l", "")
                    .ackedWireSeq() == 43, "acknowledged");
            assertTrue(api.largestFrame.get() < 256 * 1024, "16000 control characters are ~96 KB of JSON; "
                    + "frames must stay under the API's limit, got " + api.largestFrame.get());

            shipper.track("inst-l", next.id()); // the agent replaced the container (its log starts at 0 again)
            await(() -> api.storedCount("inst-l") == 47, "the new container's lines are not taken for duplicates");
            assertTrue(api.lines("inst-l").get(44).seq() > 43);
            assertEquals("line 0", api.lines("inst-l").get(44).line());
        } finally {
            shipper.close();
        }
    }

    @Test
    void drainReturnsOnlyWhenTheExitedContainersLastLineIsAcknowledged() throws Exception {
        int total = 20_000;
        RuntimeSpec spec = numbered(total);
        FakeApi api = new FakeApi();
        // small frames and a slow API: without drain, a removal right after the exit would lose the tail
        LogShipper shipper = new LogShipper(Files.createTempDirectory(fx.dataDir, "ship"), id -> spec.stateDir(),
                fx.log, new SlowOutbox(api.new Connection()), new LogShipper.Settings(200, 1 << 20, 2000, 16L << 20,
                250, 50));
        api.shipper = shipper;
        try {
            RunningContainer container = fx.runtime.start(spec);
            shipper.track("inst-d", spec.id());
            shipper.onConnected();
            container.onExit().get(2, TimeUnit.MINUTES);
            assertTrue(api.storedCount("inst-d") < total, "the API is still behind when the container exits");
            assertTrue(shipper.drain("inst-d", Duration.ofSeconds(30)), "drained in time");
            assertEquals(total, api.storedCount("inst-d"), "every line is stored when drain returns");
            assertEquals("line " + (total - 1), api.lines("inst-d").get(total - 1).line());
            shipper.untrack("inst-d");
            container.destroy();
            assertTrue(shipper.drain("inst-d", Duration.ofMillis(1)), "an untracked instance has nothing to wait for");
        } finally {
            shipper.close();
        }
    }

    @Test
    void drainGivesUpAtItsDeadlineWhenNothingIsAcknowledged() throws Exception {
        RuntimeSpec spec = numbered(50);
        fx.run(spec);
        FakeApi api = new FakeApi();
        api.acking.set(false);
        LogShipper shipper = new LogShipper(Files.createTempDirectory(fx.dataDir, "ship"), id -> spec.stateDir(),
                fx.log, api.new Connection(), LogShipper.Settings.DEFAULT);
        api.shipper = shipper;
        try {
            shipper.track("inst-n", spec.id());
            shipper.onConnected();
            long start = System.nanoTime();
            assertTrue(!shipper.drain("inst-n", Duration.ofMillis(300)), "not acknowledged: not drained");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs >= 300 && tookMs < 5000, "bounded wait, took " + tookMs + " ms");
        } finally {
            shipper.close();
        }
    }

    /** An API that takes 10 ms per frame, so the shipper falls behind a container writing as fast as it can. */
    private record SlowOutbox(FakeApi.Connection to) implements dev.slipway.engine.agent.Outbox {
        @Override
        public boolean send(Object message) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return to.send(message);
        }
    }

    /** Forwards to one connection; stands in for the agent's single outbox. */
    private record Relay(FakeApi.Connection to) implements dev.slipway.engine.agent.Outbox {
        @Override
        public boolean send(Object message) {
            return to.send(message);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
