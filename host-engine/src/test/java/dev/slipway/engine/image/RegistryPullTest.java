package dev.slipway.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.engine.libc.LibC;
import dev.slipway.engine.snapshot.OverlaySnapshotter;
import dev.slipway.engine.snapshot.Snapshotter;
import dev.slipway.engine.testimages.ImageArchives;
import dev.slipway.engine.testimages.LayerBuilder;
import dev.slipway.engine.testimages.LocalRegistry;
import dev.slipway.engine.testimages.TestImage;
import dev.slipway.engine.testimages.TestImages;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a real CNCF distribution registry (Debian's docker-registry) that skopeo pushed the test images
 * into: anonymous, with htpasswd basic auth, and behind a bearer-token gate.
 */
class RegistryPullTest {

    static final ImageStore.RegistryCredentials ALICE = new ImageStore.RegistryCredentials("alice", "s3cret-pw");
    static final ImageStore.RegistryCredentials WRONG = new ImageStore.RegistryCredentials("alice", "wrong");

    @TempDir
    static Path shared;
    static TestImage busybox;
    static TestImage twoLayers;
    static TestImage arm;
    static LocalRegistry open;
    static LocalRegistry basic;
    static BearerGate gate;

    @TempDir
    Path data;
    Snapshotter snapshotter;
    LocalImageStore store;

    @BeforeAll
    static void startRegistries() throws Exception {
        busybox = TestImages.busybox();
        twoLayers = TestImages.busyboxTwoLayers();
        arm = TestImage.of(List.of(), List.of("sh"), List.of(), new LayerBuilder().file("arm", "not for amd64").tar());
        Path oci = ImageArchives.writeOciArchive(shared.resolve("busybox-oci.tar"), busybox, "busybox:latest");
        Path two = ImageArchives.writeOciArchive(shared.resolve("two-oci.tar"), twoLayers, "two:latest");
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        platforms.put("linux/arm64", arm);
        platforms.put("linux/amd64", twoLayers);
        Path multi = ImageArchives.writeOciIndexArchive(shared.resolve("multi-oci.tar"), platforms, "multi:latest");
        open = LocalRegistry.start(shared.resolve("open"), null, null);
        open.push(oci, "test/busybox:1");
        open.push(two, "test/two:latest");
        open.push(multi, "test/multi:latest");
        basic = LocalRegistry.start(shared.resolve("basic"), ALICE.username(), ALICE.password());
        basic.push(oci, "private/busybox:1");
        gate = new BearerGate(open.host(), ALICE.username(), ALICE.password());
    }

    @AfterAll
    static void stopRegistries() throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (basic != null) {
            basic.close();
        }
        if (open != null) {
            open.close();
        }
    }

    @BeforeEach
    void openStore() throws Exception {
        snapshotter = new OverlaySnapshotter(data.resolve("snapshots"));
        store = new LocalImageStore(data.resolve("images"), snapshotter);
    }

    @Test
    void pullsByTagThenByDigestToTheSameImage() throws Exception {
        List<String> statuses = new ArrayList<>();
        Image byTag = store.pull(open.host() + "/test/busybox:1", null, (id, s, c, t) -> statuses.add(s));
        assertEquals(busybox.id(), byTag.id(), "the config pulled is the one pushed");
        assertEquals(busybox.diffIds(), byTag.diffIds());
        assertEquals(List.of("sh"), byTag.config().cmd());
        String digest = open.digest("test/busybox:1");
        assertEquals(List.of(open.host() + "/test/busybox:1"), byTag.repoTags());
        assertEquals(List.of(open.host() + "/test/busybox@" + digest), byTag.repoDigests());
        assertTrue(statuses.contains("Pulling fs layer") && statuses.contains("Download complete"), statuses.toString());

        Image byDigest = store.pull(open.host() + "/test/busybox@" + digest, null, ImageStore.ProgressListener.NONE);
        assertEquals(byTag.id(), byDigest.id());
        assertEquals(byTag.id(), store.find(open.host() + "/test/busybox@" + digest).orElseThrow().id());
        assertEquals(1, store.list().size());
    }

    @Test
    void pullsManifestListAsLinuxAmd64AndMountsMergedLayers() throws Exception {
        Image image = store.pull(open.host() + "/test/multi", null, ImageStore.ProgressListener.NONE);
        assertEquals(twoLayers.id(), image.id(), "linux/amd64 picked from the index");
        snapshotter.prepare("container", store.topSnapshot(image));
        Path mnt = Files.createDirectories(data.resolve("mnt"));
        snapshotter.mount("container", mnt);
        try {
            assertEquals("hello from layer 2\n", Files.readString(mnt.resolve("hello.txt")));
            assertFalse(Files.exists(mnt.resolve("etc/motd"), LinkOption.NOFOLLOW_LINKS), "whiteout applied");
            assertTrue(Files.isExecutable(mnt.resolve("bin/busybox")));
        } finally {
            snapshotter.remove("container");
            LibC.INSTANCE.umount2(mnt.toString(), 2);
        }
    }

    @Test
    void unknownTagIsNotFound() {
        ImageException e = assertThrows(ImageException.class,
                () -> store.pull(open.host() + "/test/busybox:nope", null, ImageStore.ProgressListener.NONE));
        assertEquals(ImageException.Reason.NOT_FOUND, e.reason());
    }

    @Test
    void basicAuthNeedsTheRightCredentials() throws Exception {
        String ref = basic.host() + "/private/busybox:1";
        assertEquals(ImageException.Reason.UNAUTHORIZED, assertThrows(ImageException.class,
                () -> store.pull(ref, null, ImageStore.ProgressListener.NONE)).reason());
        assertEquals(ImageException.Reason.UNAUTHORIZED, assertThrows(ImageException.class,
                () -> store.pull(ref, WRONG, ImageStore.ProgressListener.NONE)).reason());
        assertTrue(store.list().isEmpty());
        assertEquals(busybox.id(), store.pull(ref, ALICE, ImageStore.ProgressListener.NONE).id());
    }

    @Test
    void bearerTokenFlowFollowsTheChallenge() throws Exception {
        String ref = gate.host() + "/test/two:latest";
        assertEquals(ImageException.Reason.UNAUTHORIZED, assertThrows(ImageException.class,
                () -> store.pull(ref, null, ImageStore.ProgressListener.NONE)).reason());
        assertEquals(ImageException.Reason.UNAUTHORIZED, assertThrows(ImageException.class,
                () -> store.pull(ref, WRONG, ImageStore.ProgressListener.NONE)).reason());
        gate.useAccessTokenField = true;
        try {
            assertEquals(twoLayers.id(), store.pull(ref, ALICE, ImageStore.ProgressListener.NONE).id());
        } finally {
            gate.useAccessTokenField = false;
        }
        assertTrue(gate.scopesRequested.stream().anyMatch(q -> q.contains("scope=repository:test/two:pull")
                && q.contains("service=slipway-gate")), gate.scopesRequested.toString());
    }

    @Test
    void blobRedirectsToStorageCarryNoRegistryAuthorization() throws Exception {
        gate.redirectBlobs = true;
        try {
            Image image = store.pull(gate.host() + "/test/busybox:1", ALICE, ImageStore.ProgressListener.NONE);
            assertEquals(busybox.id(), image.id());
        } finally {
            gate.redirectBlobs = false;
        }
        assertFalse(gate.storageRequests.isEmpty(), "blobs came through the redirect");
        assertTrue(gate.storageRequests.stream().allMatch(r -> r.endsWith("auth=null")), gate.storageRequests.toString());
    }

    @Test
    void tamperedBlobIsRefusedAndLeavesNothing() throws Exception {
        gate.tamperBlobs = true;
        try {
            ImageException e = assertThrows(ImageException.class,
                    () -> store.pull(gate.host() + "/test/busybox:1", ALICE, ImageStore.ProgressListener.NONE));
            assertEquals(ImageException.Reason.INVALID, e.reason());
            assertTrue(e.getMessage().contains("mismatch"), e.getMessage());
        } finally {
            gate.tamperBlobs = false;
        }
        assertTrue(store.list().isEmpty());
        assertTrue(snapshotter.list().isEmpty());
    }

    @Test
    void aPreIssuedTokenIsSentAsBearerWithoutAskingTheTokenServer() throws Exception {
        int asked = gate.scopesRequested.size();
        String ref = gate.host() + "/test/busybox@" + open.digest("test/busybox:1");
        assertEquals(busybox.id(), store.pull(ref, ImageStore.RegistryCredentials.bearer(gate.token()),
                ImageStore.ProgressListener.NONE).id());
        assertEquals(asked, gate.scopesRequested.size(), "the token server was asked: " + gate.scopesRequested);
        ImageException refused = assertThrows(ImageException.class, () -> store.pull(gate.host() + "/test/two:latest",
                ImageStore.RegistryCredentials.bearer("expired-token"), ImageStore.ProgressListener.NONE));
        assertEquals(ImageException.Reason.UNAUTHORIZED, refused.reason());
        assertTrue(refused.getMessage().contains("pre-issued token"), refused.getMessage());
        assertEquals(asked, gate.scopesRequested.size(), "a refused pre-issued token is not traded for another");
    }
}
