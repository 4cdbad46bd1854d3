package dev.slipway.api.workers;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Turns a join token into a worker with its own credential: one transaction, one use of the token. */
@ApplicationScoped
public class WorkerRegistration {

    @Inject
    JoinTokenService joinTokens;

    @Inject
    AuditLog audit;

    /** The new worker and its credential ({@code slw_...}), which exists in clear only in this answer. */
    public record Joined(UUID workerId, String credential) {
    }

    /** What the host says about itself when joining (already validated). */
    public record Host(String name, BigDecimal cpu, int memoryMb, String engineVersion) {
    }

    /** 401 JOIN_TOKEN_INVALID for an unknown, expired, used-up or revoked token; then nothing is written. */
    @Transactional
    public Joined join(String joinToken, Host host, String sourceIp) {
        UUID tokenId = joinTokens.consume(joinToken).orElseThrow(() -> new ApiException(401, "JOIN_TOKEN_INVALID",
                "the join token is unknown, expired, used up or revoked: ask a platform admin for a new one"
                        + " (POST /api/v1/admin/join-tokens)"));
        String credential = Secrets.generate(Secrets.CREDENTIAL_PREFIX);
        Worker worker = new Worker();
        worker.id = UUID.randomUUID();
        worker.name = host.name();
        worker.credentialHash = Secrets.sha256(credential);
        worker.joinTokenId = tokenId;
        worker.cpu = host.cpu();
        worker.memoryMb = host.memoryMb();
        worker.engineVersion = host.engineVersion();
        // Not schedulable until its stream says hello.
        worker.state = Worker.LOST;
        worker.joinedAt = OffsetDateTime.now(ZoneOffset.UTC);
        worker.persist();
        Map<String, Object> details = new HashMap<>();
        details.put("name", host.name());
        details.put("joinTokenId", tokenId.toString());
        details.put("cpu", host.cpu());
        details.put("memoryMb", host.memoryMb());
        audit.recordAs(null, null, sourceIp, null, "worker.join", worker.id.toString(), details);
        return new Joined(worker.id, credential);
    }
}
