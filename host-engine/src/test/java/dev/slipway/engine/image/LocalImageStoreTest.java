package dev.slipway.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.content.Digest;
import dev.slipway.engine.snapshot.OverlaySnapshotter;
import dev.slipway.engine.snapshot.Snapshotter;
import dev.slipway.engine.testimages.HostileLayers;
import dev.slipway.engine.testimages.ImageArchives;
import dev.slipway.engine.testimages.LayerBuilder;
import dev.slipway.engine.testimages.TestImage;
import dev.slipway.engine.testimages.TestImages;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.utils.IOUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real overlay snapshotter, fed with archives from the test image builder. */
class LocalImageStoreTest {

    static TestImage busybox;
    static TestImage twoLayers;
    @TempDir
    static Path archives;

    @TempDir
    Path data;
    Snapshotter snapshotter;
    LocalImageStore store;

    @BeforeAll
    static void buildImages() throws Exception {
        busybox = TestImages.busybox();
        twoLayers = TestImages.busyboxTwoLayers();
        ImageArchives.writeDockerSave(archives.resolve("busybox.tar"), busybox, "busybox:latest", "busybox:1");
        ImageArchives.writeOciArchive(archives.resolve("busybox-oci.tar"), busybox, "localhost:5000/tools/busybox:oci");
        ImageArchives.writeDockerSave(archives.resolve("two.tar"), twoLayers, "two:latest");
    }

    /** The snapshotter under test; the copying one's subclass overrides this. */
    protected Snapshotter newSnapshotter(Path root) throws Exception {
        return new OverlaySnapshotter(root);
    }

    @BeforeEach
    void open() throws Exception {
        snapshotter = newSnapshotter(data.resolve("snapshots"));
        store = new LocalImageStore(data.resolve("images"), snapshotter);
    }

    private List<Image> load(String archive) throws Exception {
        try (InputStream in = Files.newInputStream(archives.resolve(archive))) {
            return store.load(in, ImageStore.ProgressListener.NONE);
        }
    }

    @Test
    void loadsDockerSaveArchiveWithConfigHonoured() throws Exception {
        List<String> events = new ArrayList<>();
        List<Image> loaded;
        try (InputStream in = Files.newInputStream(archives.resolve("busybox.tar"))) {
            loaded = store.load(in, (id, status, current, total) -> events.add(status));
        }
        assertEquals(1, loaded.size());
        Image image = loaded.get(0);
        assertEquals(busybox.id(), image.id());
        assertEquals(List.of("busybox:latest", "busybox:1"), image.repoTags());
        assertEquals(busybox.diffIds(), image.diffIds());
        assertEquals(List.of("sh"), image.config().cmd());
        assertEquals(TestImages.ENV, image.config().env());
        assertEquals("amd64", image.config().architecture());
        assertEquals("true", image.config().labels().get("org.slipway.test"));
        assertTrue(events.contains("Loading layer"));
        assertTrue(image.size() > 500_000, "busybox is unpacked: " + image.size());
        String top = store.topSnapshot(image);
        assertTrue(snapshotter.exists(top));
        assertEquals(image, store.find("busybox").orElseThrow());
        assertEquals(image, store.find("docker.io/library/busybox:1").orElseThrow());
        assertEquals(image, store.find(image.id().substring(7, 19)).orElseThrow());
        assertEquals(image, store.find(image.id()).orElseThrow());
        assertTrue(store.find("busybox:2").isEmpty());
    }

    @Test
    void loadsOciArchiveGzippedOrNotWithRefNameAndDigest() throws Exception {
        Image image = load("busybox-oci.tar").get(0);
        assertEquals(busybox.id(), image.id());
        assertEquals(List.of("localhost:5000/tools/busybox:oci"), image.repoTags());
        String digestRef = image.repoDigests().get(0);
        assertTrue(digestRef.startsWith("localhost:5000/tools/busybox@sha256:"));
        assertEquals(image.id(), store.find(digestRef).orElseThrow().id());

        byte[] tar = Files.readAllBytes(archives.resolve("busybox-oci.tar"));
        Path gz = archives.resolve("busybox-oci.tar.gz");
        Files.write(gz, TestImage.gzip(tar));
        try (InputStream in = Files.newInputStream(gz)) {
            assertEquals(image.id(), store.load(in, ImageStore.ProgressListener.NONE).get(0).id());
        }
    }

    @Test
    void ociRefNameThatIsOnlyATagLoadsUntagged() throws Exception {
        Path file = ImageArchives.writeOciArchive(archives.resolve("untagged-oci.tar"), busybox, "latest");
        try (InputStream in = Files.newInputStream(file)) {
            Image image = store.load(in, ImageStore.ProgressListener.NONE).get(0);
            assertEquals(List.of(), image.repoTags());
        }
    }

    @Test
    void sharedLayersAreStoredAndUnpackedOnce() throws Exception {
        Image one = load("busybox.tar").get(0);
        Image two = load("two.tar").get(0);
        assertEquals(one.diffIds().get(0), two.diffIds().get(0));
        assertEquals(snapshotter.parent(store.topSnapshot(two)), store.topSnapshot(one));
        assertEquals(2, snapshotter.list().size(), "base layer snapshot shared");
        // both archives carry the same base layer blob: stored once (2 configs + 2 distinct layers)
        assertEquals(4, store.content().list().size());
    }

    @Test
    void removeFollowsDockerSemantics() throws Exception {
        Image image = load("busybox.tar").get(0);
        assertEquals(List.of("Untagged: busybox:1"), store.remove("busybox:1", false));
        assertTrue(store.find(image.id()).isPresent());
        store.tag(image, "other:v1");
        ImageException multi = assertThrows(ImageException.class, () -> store.remove(image.id(), false));
        assertEquals(ImageException.Reason.CONFLICT, multi.reason());

        store.setImageInUse(image.id()::equals);
        assertEquals(ImageException.Reason.CONFLICT,
                assertThrows(ImageException.class, () -> store.remove(image.id(), true)).reason());
        assertEquals(List.of("Untagged: other:v1"), store.remove("other:v1", false));
        assertEquals(ImageException.Reason.CONFLICT,
                assertThrows(ImageException.class, () -> store.remove("busybox", false)).reason());

        store.setImageInUse(id -> false);
        List<String> report = store.remove("busybox:latest", false);
        assertEquals(List.of("Untagged: busybox:latest", "Deleted: " + image.id()), report);
        assertTrue(store.list().isEmpty());
        assertTrue(snapshotter.list().isEmpty(), "layer snapshots collected");
        assertTrue(store.content().list().isEmpty(), "blobs collected");
        assertEquals(ImageException.Reason.NOT_FOUND,
                assertThrows(ImageException.class, () -> store.remove("busybox", false)).reason());
    }

    @Test
    void removingOneImageKeepsLayersAnotherUses() throws Exception {
        Image one = load("busybox.tar").get(0);
        Image two = load("two.tar").get(0);
        store.remove(two.id(), false);
        assertTrue(snapshotter.exists(store.topSnapshot(one)));
        assertEquals(List.of(store.topSnapshot(one)), snapshotter.list());
        assertEquals(2, store.content().list().size());
    }

    @Test
    void retaggingMovesTheTagAndRecordsSurviveRestart() throws Exception {
        Image one = load("busybox.tar").get(0);
        Image two = load("two.tar").get(0);
        store.tag(two, "busybox:latest");
        LocalImageStore reopened = new LocalImageStore(data.resolve("images"),
                newSnapshotter(data.resolve("snapshots")));
        assertEquals(two.id(), reopened.find("busybox:latest").orElseThrow().id());
        assertEquals(List.of("busybox:1"), reopened.find(one.id()).orElseThrow().repoTags());
        assertEquals(Set.of(one.id(), two.id()), Set.copyOf(reopened.list().stream().map(Image::id).toList()));
    }

    @Test
    void anInterruptedUnpackIsClearedAtStart() throws Exception {
        Image image = load("busybox.tar").get(0);
        // what a crash in the middle of unpacking the next layer leaves behind
        snapshotter.prepare("extract-interrupted", store.topSnapshot(image));
        Files.writeString(snapshotter.writableDir("extract-interrupted").resolve("half"), "written");
        Files.createDirectories(data.resolve("images/tmp/load-interrupted"));
        Snapshotter restarted = newSnapshotter(data.resolve("snapshots"));
        LocalImageStore reopened = new LocalImageStore(data.resolve("images"), restarted);
        assertEquals(List.of(store.topSnapshot(image)), restarted.list());
        assertEquals(List.of(image), reopened.list());
        try (var tmp = Files.list(data.resolve("images/tmp"))) {
            assertEquals(0, tmp.count());
        }
    }

    @Test
    void corruptArchiveLeavesNothingVisible() throws Exception {
        // a docker-save archive whose layer does not hash to the config's diff id
        TestImage lying = new TestImage(List.of(new LayerBuilder().file("a", "evil").tar()), busybox.config());
        Path file = ImageArchives.writeDockerSave(archives.resolve("lying.tar"), lying, "lying:latest");
        ImageException e;
        try (InputStream in = Files.newInputStream(file)) {
            e = assertThrows(ImageException.class, () -> store.load(in, ImageStore.ProgressListener.NONE));
        }
        assertEquals(ImageException.Reason.INVALID, e.reason());
        assertTrue(store.list().isEmpty());
        assertTrue(snapshotter.list().isEmpty(), "no snapshot left: " + snapshotter.list());
        try (var tmp = Files.list(data.resolve("images/tmp"))) {
            assertEquals(0, tmp.count());
        }
        assertEquals(ImageException.Reason.INVALID, assertThrows(ImageException.class,
                () -> store.load(new ByteArrayInputStream(new byte[1024]), ImageStore.ProgressListener.NONE)).reason());
    }

    @Test
    void imageWithHostileLayerIsRefusedAsUnsafe() throws Exception {
        byte[] hostile = HostileLayers.all("/tmp").get("symlink-to-etc-then-write");
        TestImage image = TestImage.of(List.of(), List.of("sh"), List.of(), TestImages.busyboxLayer(), hostile);
        Path file = ImageArchives.writeOciArchive(archives.resolve("hostile.tar"), image, "hostile:latest");
        try (InputStream in = Files.newInputStream(file)) {
            ImageException e = assertThrows(ImageException.class, () -> store.load(in, ImageStore.ProgressListener.NONE));
            assertEquals(ImageException.Reason.UNSAFE_LAYER, e.reason());
        }
        assertTrue(store.find("hostile").isEmpty());
        assertFalse(snapshotter.list().stream().anyMatch(k -> k.startsWith("extract-")));
    }

    @Test
    void referencesNormaliseLikeDocker() throws Exception {
        assertEquals("docker.io/library/busybox:latest", ImageReference.parse("busybox").nameAndTag());
        assertEquals("docker.io/user/app:1", ImageReference.parse("user/app:1").nameAndTag());
        assertEquals("127.0.0.1:5000/a/b:latest", ImageReference.parse("127.0.0.1:5000/a/b").nameAndTag());
        Digest d = Digest.sha256(new byte[0]);
        ImageReference byDigest = ImageReference.parse("localhost/x@" + d);
        assertEquals("localhost", byDigest.domain());
        assertEquals(d, byDigest.digest());
        assertEquals("busybox", ImageReference.familiar("docker.io/library/busybox"));
        assertThrows(ImageException.class, () -> ImageReference.parse("Busybox"));
        assertThrows(ImageException.class, () -> ImageReference.parse("a/../b"));
    }
}
