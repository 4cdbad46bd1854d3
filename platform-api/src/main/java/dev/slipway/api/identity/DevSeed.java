package dev.slipway.api.identity;

import dev.slipway.api.audit.AuditLog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * With {@code slipway.dev.seed=true} (what {@code ./slipway up} sets), makes the realm's {@code demo} user the
 * owner of tenant {@code demo} at startup, before demo ever signs in. Idempotent: an existing tenant is left alone.
 */
@ApplicationScoped
public class DevSeed {

    static final String DEMO = "demo";

    @ConfigProperty(name = "slipway.dev.seed")
    boolean enabled;

    @Inject
    UserDirectory users;

    @Inject
    AuditLog audit;

    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (!enabled || Tenant.findByName(DEMO).isPresent()) {
            return;
        }
        User demo = users.ensurePending(DEMO);
        TenantService.persistWithOwner(DEMO, demo);
        audit.recordAs(null, null, null, DEMO, "tenant.create", DEMO, Map.of("seed", true, "owner", DEMO));
    }
}
