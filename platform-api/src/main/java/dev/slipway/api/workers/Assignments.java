package dev.slipway.api.workers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.registry.RegistryMetadata;
import dev.slipway.api.registry.auth.Action;
import dev.slipway.api.registry.auth.RegistryIdentity;
import dev.slipway.api.registry.auth.RegistryTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds a worker's complete {@code assign} from PostgreSQL (CONTRACTS-DEPLOY.md, "Assignments"): every instance
 * row placed on it that should run, with its release's spec, the instance's restart generation as {@code generation}
 * (a restart is rolling: the scheduler adds rows of the new generation and stops the old ones),
 * the release env with the app's config on top, and an image pinned by digest on the registry host the worker
 * reaches. Pull tokens are minted separately ({@link #withPullTokens}) so that comparing two plans is not
 * disturbed by fresh tokens.
 */
@ApplicationScoped
public class Assignments {

    static final int STOP_GRACE_SECONDS = 10;
    static final int DEFAULT_HEALTH_INTERVAL = 2;
    static final int DEFAULT_HEALTH_TIMEOUT = 1;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    RegistryTokens registryTokens;

    @Inject
    RegistryMetadata registry;

    @ConfigProperty(name = "slipway.registry-host")
    String registryHost;

    /** The instances to send, without pull tokens, and per instance the private repository it pulls from. */
    record Plan(List<WorkerMessages.InstanceSpec> instances, Map<UUID, String> privateRepositories) {
    }

    @Transactional
    Plan plan(UUID workerId, String workerRegistryHost) {
        List<?> rows = em.createNativeQuery("""
                SELECT i.id, a.id, a.name, t.name, r.version, i.restart_generation, r.image, r.image_digest,
                       CAST(r.command AS text), CAST(r.env AS text), r.port, r.cpu, r.memory_mb, r.pids,
                       r.health_path, r.health_interval, r.health_timeout
                FROM instances i
                JOIN releases r ON r.id = i.release_id
                JOIN apps a ON a.id = i.app_id
                JOIN tenants t ON t.id = a.tenant_id
                WHERE i.worker_id = ?1 AND i.desired_state = 'running'
                ORDER BY i.created_at, i.id""").setParameter(1, workerId).getResultList();
        Map<UUID, Map<String, String>> config = appConfig(workerId);
        List<WorkerMessages.InstanceSpec> specs = new ArrayList<>();
        Map<UUID, String> privateRepositories = new HashMap<>();
        Map<String, Boolean> publicRepositories = new HashMap<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            UUID instanceId = (UUID) r[0];
            UUID appId = (UUID) r[1];
            PullReference pull = PullReference.of((String) r[6], (String) r[7], registryHost, workerRegistryHost);
            if (pull.repository() != null && !publicRepositories.computeIfAbsent(pull.repository(),
                    repo -> registry.repository(repo).map(RegistryMetadata.Repository::isPublic).orElse(false))) {
                privateRepositories.put(instanceId, pull.repository());
            }
            Map<String, String> env = new LinkedHashMap<>(readMap((String) r[9]));
            env.putAll(config.getOrDefault(appId, Map.of()));
            String healthPath = (String) r[14];
            specs.add(new WorkerMessages.InstanceSpec(instanceId, (String) r[2], (String) r[3], "v" + r[4],
                    ((Number) r[5]).intValue(), pull.image(), null, readList((String) r[8]), env,
                    ((Number) r[10]).intValue(),
                    new WorkerMessages.Resources((BigDecimal) r[11], ((Number) r[12]).intValue(),
                            ((Number) r[13]).intValue()),
                    healthPath == null ? null : new WorkerMessages.HealthCheck(healthPath,
                            r[15] == null ? DEFAULT_HEALTH_INTERVAL : ((Number) r[15]).intValue(),
                            r[16] == null ? DEFAULT_HEALTH_TIMEOUT : ((Number) r[16]).intValue()),
                    STOP_GRACE_SECONDS));
        }
        return new Plan(specs, privateRepositories);
    }

    /**
     * The plan's instances with a registry token for each private repository: {@code repository:<repo>:pull}
     * only, valid for the registry's token lifetime (5 minutes by default). Public ones get none.
     */
    List<WorkerMessages.InstanceSpec> withPullTokens(Plan plan, Instant now) {
        Map<String, WorkerMessages.PullAuth> byRepository = new HashMap<>();
        List<WorkerMessages.InstanceSpec> result = new ArrayList<>();
        for (WorkerMessages.InstanceSpec spec : plan.instances()) {
            String repository = plan.privateRepositories().get(spec.instanceId());
            result.add(repository == null ? spec : spec.withPullAuth(byRepository.computeIfAbsent(repository,
                    repo -> new WorkerMessages.PullAuth(registryTokens.issue(RegistryIdentity.ANONYMOUS,
                            Map.of(repo, Set.of(Action.PULL)), now)))));
        }
        return result;
    }

    private Map<UUID, Map<String, String>> appConfig(UUID workerId) {
        List<?> rows = em.createNativeQuery("""
                SELECT c.app_id, c.key, c.value FROM app_config c
                WHERE c.app_id IN (SELECT app_id FROM instances WHERE worker_id = ?1 AND desired_state = 'running')
                ORDER BY c.key""").setParameter(1, workerId).getResultList();
        Map<UUID, Map<String, String>> config = new HashMap<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            config.computeIfAbsent((UUID) r[0], id -> new LinkedHashMap<>()).put((String) r[1], (String) r[2]);
        }
        return config;
    }

    private Map<String, String> readMap(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("release env is not a JSON object of strings", e);
        }
    }

    private List<String> readList(String text) {
        if (text == null || text.equals("null")) {
            return null;
        }
        try {
            return json.readValue(text, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("release command is not a JSON array of strings", e);
        }
    }
}
