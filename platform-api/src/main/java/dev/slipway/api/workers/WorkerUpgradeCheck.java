package dev.slipway.api.workers;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Authenticates the worker before its WebSocket upgrade completes: a missing, unknown or removed credential gets
 * a plain HTTP 401 and no socket, so an unauthenticated client never holds a connection. The worker's id goes
 * into the connection's user data for the endpoint.
 */
@ApplicationScoped
public class WorkerUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> WORKER_ID = UserData.TypedKey.forString("slipway.worker-id");
    private static final Map<String, List<String>> CHALLENGE =
            Map.of("WWW-Authenticate", List.of("Bearer realm=\"slipway-worker\""));

    @Inject
    WorkerCredentials credentials;

    @Inject
    Vertx vertx;

    @Override
    public boolean appliesTo(String endpointId) {
        return WorkerStreamEndpoint.ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String credential = WorkerCredentials.bearer(context.httpRequest().getHeader("Authorization"));
        if (credential == null || !credential.startsWith(Secrets.CREDENTIAL_PREFIX)) {
            return CheckResult.rejectUpgrade(401, CHALLENGE);
        }
        // The lookup blocks (JDBC); executeBlocking resumes on the calling event loop, where the upgrade goes on.
        return Uni.createFrom().completionStage(() -> vertx
                        .<Optional<UUID>>executeBlocking(() -> credentials.authenticate(credential), false)
                        .toCompletionStage())
                .map(worker -> {
                    if (worker.isEmpty()) {
                        return CheckResult.rejectUpgradeSync(401, CHALLENGE);
                    }
                    context.userData().put(WORKER_ID, worker.get().toString());
                    return CheckResult.permitUpgradeSync();
                });
    }
}
