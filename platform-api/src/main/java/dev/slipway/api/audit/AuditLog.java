package dev.slipway.api.audit;

import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Tenant;
import dev.slipway.api.identity.User;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the audit trail. Call it in the same transaction as the change it describes, so an entry exists exactly
 * when the change does. Actions are dotted verbs ({@code tenant.create}, {@code member.add},
 * {@code token.revoke}, {@code registry.push}); {@code target} names the object acted on; {@code details} holds
 * small JSON-friendly values (never secrets).
 */
@ApplicationScoped
public class AuditLog {

    @Inject
    Instance<CurrentCaller> caller;

    @Inject
    Instance<HttpServerRequest> request;

    /** Records a change made by the caller of the current HTTP request. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String tenantName, String action, String target, Map<String, Object> details) {
        CurrentCaller who = caller.get();
        recordAs(who.userId(), who.tokenId().orElse(null), sourceIp(), tenantName, action, target, details);
    }

    /** Records a change made outside an HTTP request (a reconciler, the dev seed); any actor field may be null. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAs(UUID actorUserId, UUID tokenId, String sourceIp, String tenantName, String action,
            String target, Map<String, Object> details) {
        AuditEntry entry = new AuditEntry();
        entry.occurredAt = OffsetDateTime.now();
        entry.tenantName = tenantName;
        // the tenant as it exists in this transaction: its name may be reused by another tenant later
        entry.tenantId = tenantName == null ? null
                : Tenant.findByName(tenantName).map(t -> t.id).orElse(null);
        entry.actorUserId = actorUserId;
        entry.actorUsername = actorUserId == null ? null : User.<User>findByIdOptional(actorUserId)
                .map(u -> u.username).orElse(null);
        entry.tokenId = tokenId;
        entry.sourceIp = sourceIp;
        entry.action = action;
        entry.target = target;
        entry.details = details == null ? Map.of() : details;
        entry.persist();
    }

    private String sourceIp() {
        HttpServerRequest current = request.get();
        return current.remoteAddress() == null ? null : current.remoteAddress().hostAddress();
    }
}
