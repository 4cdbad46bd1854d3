package dev.slipway.api.registry;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.registry.auth.RepositoryNames;
import dev.slipway.api.registry.manifest.ParsedManifest;
import dev.slipway.api.registry.quota.RegistryQuotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The registry's writes that must happen together with their audit entry and quota check, each in one transaction:
 * nothing of a refused push becomes visible.
 */
@ApplicationScoped
public class RegistryChanges {

    /** Who makes a change, for the audit log. */
    public record Actor(UUID userId, UUID tokenId, String username, String sourceIp) {
    }

    @Inject
    RegistryMetadata metadata;

    @Inject
    AuditLog audit;

    @Inject
    RegistryQuotas quotas;

    @Inject
    RepositoryCache repositories;

    /** Links a committed blob into a repository, unless that would take its tenant over its quota or plan limit. */
    @Transactional
    public void linkBlob(String repository, String digest, long size) {
        String tenant = RepositoryNames.tenantOf(repository);
        RegistryMetadata.Repository repo = repositories.ensure(repository, tenant);
        // one round trip records the blob, tells whether the repository links it and reads the tenant's quota state
        RegistryMetadata.QuotaState state = metadata.recordBlobAndLockQuotaState(repo.id(), tenant, digest, size)
                .orElseThrow(() -> RegistryQuotas.noTenant(tenant));
        if (state.linkedHere()) {
            return;
        }
        quotas.requireRoomFor(tenant, state, size);
        metadata.linkBlob(repo.id(), digest);
    }

    @Transactional
    public void pushManifest(RegistryMetadata.Repository repo, String digest, byte[] content, ParsedManifest parsed,
            String tag, Actor actor) {
        metadata.putManifest(repo.id(), new RegistryMetadata.Manifest(digest, parsed.mediaType(),
                parsed.artifactType(), parsed.subject(), content, null, actor.username()), parsed.references());
        if (tag != null) {
            metadata.putTag(repo.id(), tag, digest, actor.username());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("digest", digest);
        details.put("mediaType", parsed.mediaType());
        if (tag != null) {
            details.put("tag", tag);
        }
        audit.recordAs(actor.userId(), actor.tokenId(), actor.sourceIp(), repo.tenant(), "registry.push",
                repo.name() + (tag == null ? "@" + digest : ":" + tag), details);
    }

    @Transactional
    public boolean deleteManifest(RegistryMetadata.Repository repo, String digest, Actor actor) {
        boolean deleted = metadata.deleteManifest(repo.id(), digest);
        if (deleted) {
            audit.recordAs(actor.userId(), actor.tokenId(), actor.sourceIp(), repo.tenant(), "registry.delete",
                    repo.name() + "@" + digest, Map.of("digest", digest));
        }
        return deleted;
    }

    @Transactional
    public boolean deleteTag(RegistryMetadata.Repository repo, String tag, Actor actor) {
        boolean deleted = metadata.deleteTag(repo.id(), tag);
        if (deleted) {
            audit.recordAs(actor.userId(), actor.tokenId(), actor.sourceIp(), repo.tenant(), "registry.delete",
                    repo.name() + ":" + tag, Map.of("tag", tag));
        }
        return deleted;
    }

    @Transactional
    public void setVisibility(RegistryMetadata.Repository repo, boolean isPublic, Actor actor) {
        metadata.setVisibility(repo.id(), isPublic);
        repositories.forget(repo.name());
        audit.recordAs(actor.userId(), actor.tokenId(), actor.sourceIp(), repo.tenant(), "registry.visibility",
                repo.name(), Map.of("visibility", isPublic ? "public" : "private"));
    }
}
