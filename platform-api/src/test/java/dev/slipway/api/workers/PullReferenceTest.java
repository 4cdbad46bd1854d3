package dev.slipway.api.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which registry a release's image is pulled from, and how the worker names it. */
class PullReferenceTest {

    private static final String DIGEST = "sha256:" + "0f".repeat(32);

    private static PullReference of(String written, String digest) {
        return PullReference.of(written, digest, "localhost:8080", "127.0.0.1:8080");
    }

    @Test
    void ourRegistryIsPulledThroughTheHostTheWorkerReachesPinnedByDigest() {
        for (String written : new String[] {"demo/web:1", "localhost:8080/demo/web:1", "127.0.0.1:8080/demo/web",
                "LOCALHOST:8080/demo/web:1", "demo/web@" + DIGEST}) {
            PullReference pull = of(written, DIGEST);
            assertEquals("127.0.0.1:8080/demo/web@" + DIGEST, pull.image(), written);
            assertEquals("demo/web", pull.repository(), written);
        }
        assertEquals("demo/team/web", of("localhost:8080/demo/team/web:2", DIGEST).repository());
    }

    @Test
    void withoutADigestTheWrittenTagOrDigestIsKept() {
        assertEquals("127.0.0.1:8080/demo/web:1", of("demo/web:1", null).image());
        assertEquals("127.0.0.1:8080/demo/web@" + DIGEST, of("demo/web@" + DIGEST, null).image());
        assertEquals("127.0.0.1:8080/demo/web", of("demo/web", null).image());
    }

    @Test
    void anotherRegistryIsLeftAsWrittenWithoutCredentials() {
        PullReference pull = of("registry.example.com:5000/team/app:3", DIGEST);
        assertEquals("registry.example.com:5000/team/app@" + DIGEST, pull.image());
        assertNull(pull.repository());
        // Same loopback name, other port: another registry.
        assertNull(of("localhost:5000/demo/web:1", DIGEST).repository());
    }

    @Test
    void loopbackNamesWithTheSamePortAreOneHost() {
        assertTrue(PullReference.sameHost("localhost:8080", "127.0.0.1:8080"));
        assertTrue(PullReference.sameHost("[::1]:8080", "localhost:8080"));
        assertFalse(PullReference.sameHost("localhost:8080", "127.0.0.1:8081"));
        assertFalse(PullReference.sameHost("api.example.com:8080", "127.0.0.1:8080"));
        assertFalse(PullReference.sameHost(null, "127.0.0.1:8080"));
    }
}
