package dev.slipway.engine.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.slipway.engine.snapshot.WhiteoutStyle;
import dev.slipway.engine.testimages.HostileLayers;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile layer, unpacked with both whiteout styles into a snapshot dir inside a data dir that sits beside
 * a sentinel dir: the sentinel and /etc/passwd hash the same afterwards, and the layer was refused or its
 * effects stayed inside the snapshot dir.
 */
class HostileLayersTest {

    private static final List<String> CONTAINED = HostileLayers.CONTAINED;

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> hostileLayersAreRefusedOrContained() throws Exception {
        Path sentinel = Files.createDirectories(temp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("keep.txt"), "untouched");
        Path data = Files.createDirectories(temp.resolve("data"));
        Map<String, byte[]> layers = HostileLayers.all(sentinel.toString());
        return Stream.of(WhiteoutStyle.values()).flatMap(style -> layers.entrySet().stream().map(layer ->
                DynamicTest.dynamicTest(layer.getKey() + " (" + style + ")", () -> {
                    String before = TreeHash.of(sentinel, Path.of("/etc/passwd"), Path.of("/etc/shadow"));
                    Path snapshot = Files.createDirectories(data.resolve(style + "-" + layer.getKey()));
                    try {
                        var result = new LayerUnpacker(style).unpack(new ByteArrayInputStream(layer.getValue()),
                                snapshot);
                        if (!CONTAINED.contains(layer.getKey())) {
                            fail("layer " + layer.getKey() + " was not refused");
                        }
                        if (layer.getKey().equals("device-node")) {
                            assertFalse(Files.exists(snapshot.resolve("dev/mem"), LinkOption.NOFOLLOW_LINKS));
                            assertEquals(1, result.warnings().size());
                        } else {
                            assertTrue(Files.exists(snapshot.resolve(sentinel.toString().substring(1))
                                    .resolve(HostileLayers.TARGET)), "absolute name was contained in the root");
                        }
                    } catch (UnsafeLayerException refused) {
                        assertFalse(CONTAINED.contains(layer.getKey()), "refused: " + refused.getMessage());
                    }
                    assertEquals(before, TreeHash.of(sentinel, Path.of("/etc/passwd"), Path.of("/etc/shadow")),
                            "nothing outside the snapshot dir changed");
                    assertFalse(Files.exists(Path.of("/etc", HostileLayers.TARGET)));
                    assertFalse(Files.exists(sentinel.resolve(HostileLayers.TARGET), LinkOption.NOFOLLOW_LINKS));
                })));
    }
}
