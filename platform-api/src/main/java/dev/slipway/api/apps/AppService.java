package dev.slipway.api.apps;

import dev.slipway.api.audit.AuditLog;
import dev.slipway.api.billing.PlanLimits;
import dev.slipway.api.events.PlatformEvents;
import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.CurrentCaller;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.Tenant;
import dev.slipway.api.identity.TenantAccess;
import dev.slipway.api.scheduler.ImageResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Changes to apps' desired state. Every change locks the tenant row first: that serialises quota checks across
 * a tenant's apps, release numbering of one app, and app creation against tenant deletion. Each method is one
 * transaction: a failure (bad input, quota) leaves nothing behind, audit entry included.
 */
@ApplicationScoped
public class AppService {

    static final int DEFAULT_PORT = 8080;
    static final int DEFAULT_REPLICAS = 1;
    static final BigDecimal DEFAULT_CPU = new BigDecimal("0.25");
    static final int DEFAULT_MEMORY_MB = 128;
    static final int DEFAULT_PIDS = 256;
    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern RELEASE_LABEL = Pattern.compile("v([1-9][0-9]{0,8})");

    @Inject
    TenantAccess access;

    @Inject
    CurrentCaller caller;

    @Inject
    AuditLog audit;

    @Inject
    Quotas quotas;

    @Inject
    ImageResolver images;

    @Inject
    PlanLimits planLimits;

    @Inject
    PlatformEvents events;

    /** The app, for a caller with at least {@code role}; 404 APP_NOT_FOUND if the tenant has no such app. */
    @Transactional
    public App read(String tenantName, String appName) {
        Tenant tenant = access.require(tenantName, Role.VIEWER, Scope.READ);
        return App.find(tenant.id, appName).orElseThrow(() -> appNotFound(tenantName, appName));
    }

    @Transactional
    public List<App> list(String tenantName) {
        return App.ofTenant(access.require(tenantName, Role.VIEWER, Scope.READ).id);
    }

    @Transactional
    public App create(String tenantName, String name) {
        Tenant tenant = lockTenant(tenantName, Role.DEVELOPER);
        if (name == null || name.length() < 2 || name.length() > 40 || !APP_NAME.matcher(name).matches()) {
            throw ApiException.invalidField("name", "must be 2-40 characters of a-z, 0-9 and '-', not starting or"
                    + " ending with '-'");
        }
        if (App.find(tenant.id, name).isPresent()) {
            throw ApiException.conflict("APP_EXISTS", "tenant '" + tenantName + "' already has an app '" + name + "'");
        }
        App app = new App();
        app.id = UUID.randomUUID();
        app.tenantId = tenant.id;
        app.name = name;
        app.createdAt = OffsetDateTime.now();
        app.persist();
        audit.record(tenantName, "app.create", name, Map.of());
        return app;
    }

    @Transactional
    public void delete(String tenantName, String appName) {
        Tenant tenant = lockTenant(tenantName, Role.ADMIN);
        App app = App.find(tenant.id, appName).orElseThrow(() -> appNotFound(tenantName, appName));
        // The rows go with the app (ON DELETE CASCADE); their workers stop what is no longer assigned.
        for (UUID worker : Instance.workersOf(app.id)) {
            events.publish(PlatformEvents.WORKER_CHANGED, worker.toString());
        }
        events.publish(PlatformEvents.ROUTES_CHANGED, app.id.toString());
        app.delete();
        audit.record(tenantName, "app.delete", appName, Map.of());
    }

    @Transactional
    public Release deploy(String tenantName, String appName, DeploymentRequest body) {
        Tenant tenant = lockTenant(tenantName, Role.DEVELOPER);
        App app = App.find(tenant.id, appName).orElseThrow(() -> appNotFound(tenantName, appName));
        Release release = validated(body);
        release.imageDigest = images.resolve(tenant.name, release.image);
        quotas.check(tenant.id, app.id, release.replicas, release.cpu, release.memoryMb);
        planLimits.checkDeploy(tenant.id, release.replicas, release.cpu, release.memoryMb);
        publish(app, release, release.replicas);
        audit.record(tenantName, "app.deploy", appName, Map.of("release", AppViews.label(release.version),
                "image", release.image, "replicas", release.replicas));
        return release;
    }

    /** A new release copying {@code target}'s spec; the app keeps its current replica count (as Heroku does). */
    @Transactional
    public Release rollback(String tenantName, String appName, String target) {
        Tenant tenant = lockTenant(tenantName, Role.DEVELOPER);
        App app = App.find(tenant.id, appName).orElseThrow(() -> appNotFound(tenantName, appName));
        Release source = parseLabel("release", target).flatMap(v -> Release.find(app.id, v))
                .orElseThrow(() -> ApiException.invalidField("release", "app '" + appName + "' has no release '"
                        + target + "'"));
        Release copy = copyOf(source);
        int replicas = app.currentReleaseId == null ? source.replicas : app.desiredReplicas;
        quotas.check(tenant.id, app.id, replicas, copy.cpu, copy.memoryMb);
        planLimits.checkDeploy(tenant.id, replicas, copy.cpu, copy.memoryMb);
        publish(app, copy, replicas);
        audit.record(tenantName, "app.rollback", appName, Map.of("release", AppViews.label(copy.version),
                "rollbackOf", AppViews.label(source.version)));
        return copy;
    }

    @Transactional
    public App scale(String tenantName, String appName, Integer replicas) {
        Tenant tenant = lockTenant(tenantName, Role.DEVELOPER);
        App app = App.find(tenant.id, appName).orElseThrow(() -> appNotFound(tenantName, appName));
        int wanted = Limits.replicas("replicas", replicas);
        int before = app.desiredReplicas;
        if (app.currentReleaseId != null) {
            Release current = Release.findById(app.currentReleaseId);
            quotas.check(tenant.id, app.id, wanted, current.cpu, current.memoryMb);
            if (wanted > before) {
                planLimits.checkDeploy(tenant.id, wanted, current.cpu, current.memoryMb);
            }
        }
        app.desiredReplicas = wanted;
        events.publish(PlatformEvents.RECONCILE, app.id.toString());
        audit.record(tenantName, "app.scale", appName, Map.of("from", before, "to", wanted));
        return app;
    }

    @Transactional
    public App restart(String tenantName, String appName) {
        Tenant tenant = lockTenant(tenantName, Role.DEVELOPER);
        App app = App.find(tenant.id, appName).orElseThrow(() -> appNotFound(tenantName, appName));
        app.restartGeneration++;
        events.publish(PlatformEvents.RECONCILE, app.id.toString());
        audit.record(tenantName, "app.restart", appName, Map.of("restartGeneration", app.restartGeneration));
        return app;
    }

    /** Replaces the whole config; returns the stored entries. Values never reach the audit log. */
    @Transactional
    public List<ConfigEntry> replaceConfig(String tenantName, String appName, Map<String, String> env,
            List<String> secrets) {
        Tenant tenant = lockTenant(tenantName, Role.DEVELOPER);
        App app = App.find(tenant.id, appName).orElseThrow(() -> appNotFound(tenantName, appName));
        Map<String, String> vars = Limits.env("env", env);
        Set<String> secretKeys = new HashSet<>();
        for (String key : secrets == null ? List.<String>of() : secrets) {
            if (key == null || !vars.containsKey(key)) {
                throw ApiException.invalidField("secrets", "'" + key + "' is not a key of env");
            }
            secretKeys.add(key);
        }
        ConfigEntry.delete("appId", app.id);
        ConfigEntry.flush();
        for (Map.Entry<String, String> var : vars.entrySet()) {
            ConfigEntry entry = new ConfigEntry();
            entry.appId = app.id;
            entry.key = var.getKey();
            entry.value = var.getValue();
            entry.secret = secretKeys.contains(var.getKey());
            entry.persist();
        }
        audit.record(tenantName, "app.config", appName, Map.of("keys", vars.keySet().stream().sorted().toList(),
                "secrets", secretKeys.stream().sorted().toList()));
        return ConfigEntry.ofApp(app.id);
    }

    @Transactional
    public List<ConfigEntry> config(String tenantName, String appName) {
        return ConfigEntry.ofApp(read(tenantName, appName).id);
    }

    @Transactional
    public List<Release> releases(String tenantName, String appName) {
        return Release.newestFirst(read(tenantName, appName).id);
    }

    @Transactional
    public Release release(String tenantName, String appName, String label) {
        App app = read(tenantName, appName);
        return parseLabel("release", label).flatMap(v -> Release.find(app.id, v)).orElseThrow(() ->
                ApiException.notFound("RELEASE_NOT_FOUND", "app '" + appName + "' has no release '" + label + "'"));
    }

    private Tenant lockTenant(String tenantName, Role role) {
        Tenant tenant = access.require(tenantName, role, Scope.WRITE);
        return Tenant.lockByName(tenant.name).orElseThrow(() -> ApiException.notFound("TENANT_NOT_FOUND",
                "no tenant '" + tenantName + "' that you are a member of"));
    }

    /** Numbers the release under the (locked) tenant and makes it the app's current one. */
    private void publish(App app, Release release, int replicas) {
        app.lastRelease++;
        release.id = UUID.randomUUID();
        release.appId = app.id;
        release.version = app.lastRelease;
        release.status = "pending";
        release.createdBy = caller.username();
        release.createdAt = OffsetDateTime.now();
        release.persist();
        app.currentReleaseId = release.id;
        app.desiredReplicas = replicas;
        events.publish(PlatformEvents.RECONCILE, app.id.toString());
    }

    private static Release validated(DeploymentRequest body) {
        if (body == null) {
            throw ApiException.badRequest("MISSING_BODY", "this request needs a JSON body");
        }
        Release r = new Release();
        r.image = body.image();
        ImageReference.parse("image", body.image());
        r.command = Limits.command(body.command());
        r.env = new LinkedHashMap<>(Limits.env("env", body.env()));
        r.port = Limits.range("port", body.port() == null ? DEFAULT_PORT : body.port(), 1, 65535);
        r.replicas = Limits.replicas("replicas", body.replicas() == null ? DEFAULT_REPLICAS : body.replicas());
        DeploymentRequest.Resources res = body.resources() == null
                ? new DeploymentRequest.Resources(null, null, null) : body.resources();
        r.cpu = Limits.cpu(res.cpu() == null ? DEFAULT_CPU : res.cpu());
        r.memoryMb = Limits.range("resources.memoryMb", res.memoryMb() == null ? DEFAULT_MEMORY_MB : res.memoryMb(),
                16, 65536);
        r.pids = Limits.range("resources.pids", res.pids() == null ? DEFAULT_PIDS : res.pids(), 16, 65536);
        DeploymentRequest.HealthCheck health = body.healthCheck();
        if (health != null) {
            if (health.path() == null || !health.path().startsWith("/") || health.path().length() > 1024
                    || health.path().chars().anyMatch(c -> c <= ' ' || c == 127)) {
                throw ApiException.invalidField("healthCheck.path", "must be an absolute path such as /healthz");
            }
            r.healthPath = health.path();
            r.healthInterval = Limits.range("healthCheck.intervalSeconds",
                    health.intervalSeconds() == null ? 5 : health.intervalSeconds(), 1, 300);
            r.healthTimeout = Limits.range("healthCheck.timeoutSeconds",
                    health.timeoutSeconds() == null ? 2 : health.timeoutSeconds(), 1, r.healthInterval);
        }
        return r;
    }

    private static Release copyOf(Release source) {
        Release r = new Release();
        r.image = source.image;
        r.imageDigest = source.imageDigest;
        r.command = source.command;
        r.env = source.env;
        r.port = source.port;
        r.replicas = source.replicas;
        r.cpu = source.cpu;
        r.memoryMb = source.memoryMb;
        r.pids = source.pids;
        r.healthPath = source.healthPath;
        r.healthInterval = source.healthInterval;
        r.healthTimeout = source.healthTimeout;
        r.rollbackOf = source.version;
        return r;
    }

    private static Optional<Integer> parseLabel(String field, String label) {
        if (label == null) {
            throw ApiException.invalidField(field, "is required (e.g. \"v2\")");
        }
        var m = RELEASE_LABEL.matcher(label);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static ApiException appNotFound(String tenant, String app) {
        return ApiException.notFound("APP_NOT_FOUND", "tenant '" + tenant + "' has no app '" + app + "'");
    }
}
