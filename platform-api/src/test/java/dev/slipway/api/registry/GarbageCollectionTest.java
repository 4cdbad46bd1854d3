package dev.slipway.api.registry;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.registry.storage.BlobStore;
import dev.slipway.api.registry.storage.Digest;
import dev.slipway.api.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Online GC: young things survive, untagged manifests and then their blobs go once past the grace period. */
@QuarkusTest
class GarbageCollectionTest {

    @Inject
    GarbageCollector gc;

    @Inject
    BlobStore store;

    @Test
    void youngDataSurvivesAndUntaggedDataIsCollectedAfterTheGracePeriod() {
        RegistryUser owner = RegistryUser.create("gc");
        String t = Api.createTenant(owner.user(), "gc");
        String repo = t + "/app";
        byte[] layer = ("gc layer " + System.nanoTime()).getBytes();
        String manifest = RegistryProtocolTest.pushImage(owner, repo, "v1", layer);
        Digest l = Digest.sha256(layer);

        // Everything is younger than the grace period: nothing of it may go, tagged or not.
        owner.v2().delete("/v2/" + repo + "/manifests/v1").then().statusCode(202);
        gc.collect(Instant.now().minusSeconds(3600));
        owner.v2().get("/v2/" + repo + "/manifests/" + manifest).then().statusCode(200);
        assertNotNull(store.stat(l));

        // Past the grace period the untagged manifest goes, then the blob nobody references.
        GarbageCollector.Result r = gc.collect(Instant.now().plusSeconds(1));
        assertTrue(r.manifests() >= 1 && r.blobs() >= 1, r.toString());
        owner.v2().get("/v2/" + repo + "/manifests/" + manifest).then().statusCode(404);
        owner.v2().head("/v2/" + repo + "/blobs/" + l).then().statusCode(404);
        assertNull(store.stat(l));
    }
}
