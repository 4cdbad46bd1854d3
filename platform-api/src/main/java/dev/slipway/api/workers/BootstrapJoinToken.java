package dev.slipway.api.workers;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jboss.logging.Logger;

/**
 * For {@code ./slipway up}: with {@code slipway.workers.bootstrap-token-file} set, creates at every start a join
 * token for the local worker (24 h, any number of uses) and writes it to that file, readable by its owner only.
 * The file appears whole or not at all (written beside it, then renamed), so the launcher never reads half a
 * token.
 */
@ApplicationScoped
public class BootstrapJoinToken {

    static final int EXPIRY_HOURS = 24;
    static final String DESCRIPTION = "local worker";
    private static final Logger LOG = Logger.getLogger(BootstrapJoinToken.class);

    @Inject
    WorkersConfig config;

    @Inject
    JoinTokenService tokens;

    void onStart(@Observes StartupEvent event) {
        config.bootstrapTokenFile().ifPresent(this::write);
    }

    void write(Path file) {
        JoinTokenService.Issued issued = tokens.create(DESCRIPTION, EXPIRY_HOURS, null,
                new JoinTokenService.Issuer("slipway", false));
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, issued.secret() + "\n", StandardCharsets.UTF_8);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local worker's join token to " + target, e);
        }
        LOG.infof("join token for the local worker written to %s (valid %d h)", target, EXPIRY_HOURS);
    }
}
