package dev.slipway.api.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.testsupport.Db;
import dev.slipway.api.testsupport.Workers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The local worker's join token for {@code ./slipway up}: written whole, owner-only, reusable for 24 h. */
@QuarkusTest
class BootstrapJoinTokenTest {

    @Inject
    BootstrapJoinToken bootstrap;

    @Test
    void writesAnOwnerOnlyReusableTokenAndReplacesItAtTheNextStart() throws Exception {
        Path dir = Files.createTempDirectory("bootstrap-token");
        Path file = dir.resolve("run/join-token");
        bootstrap.write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).strip();
        assertTrue(token.startsWith("sjt_"), token);
        assertEquals(1, Db.count("SELECT count(*) FROM join_tokens WHERE token_hash = ? AND description = 'local"
                + " worker' AND max_uses IS NULL AND expires_at BETWEEN now() + interval '23 hours 59 minutes'"
                + " AND now() + interval '24 hours'", Secrets.sha256(token)));
        // Unlimited uses: the local worker may rejoin with a fresh data dir.
        String first = Workers.join(token, "local-1").workerId();
        String second = Workers.join(token, "local-2").workerId();
        Workers.remove(first);
        Workers.remove(second);

        bootstrap.write(file);
        String next = Files.readString(file).strip();
        assertTrue(!next.equals(token) && next.startsWith("sjt_"));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file is left beside the token");
        }
    }
}
