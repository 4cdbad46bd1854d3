package dev.slipway.api.workers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.slipway.api.error.ApiException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code POST /worker/v1/join}: a new host presents a join token and gets its worker id and credential. Outside
 * {@code /api} because the caller is not a user: the join token in the body is the only authentication.
 */
@Path("/worker/v1/join")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JoinResource {

    static final int MAX_NAME = 100;
    static final int MAX_ENGINE_VERSION = 100;
    static final BigDecimal MAX_CPU = new BigDecimal("10000");
    static final int MAX_MEMORY_MB = 1 << 30;

    @Inject
    WorkerRegistration registration;

    /** Unknown fields are ignored (not refused), so a newer engine can join an older API. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JoinRequest(String joinToken, String name, BigDecimal cpu, Integer memoryMb, String engineVersion) {
    }

    public record JoinResponse(String workerId, String credential) {
    }

    @POST
    public Response join(JoinRequest body, @Context HttpServerRequest request) {
        if (body == null) {
            throw ApiException.badRequest("MISSING_BODY", "this request needs a JSON body");
        }
        if (body.joinToken() == null || body.joinToken().isBlank()) {
            throw ApiException.invalidField("joinToken", "is required");
        }
        String name = body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ApiException.invalidField("name", "is required, at most " + MAX_NAME + " characters");
        }
        BigDecimal cpu = body.cpu() == null ? BigDecimal.ZERO : body.cpu();
        if (cpu.signum() < 0 || cpu.compareTo(MAX_CPU) > 0) {
            throw ApiException.invalidField("cpu", "must be between 0 and " + MAX_CPU);
        }
        int memoryMb = body.memoryMb() == null ? 0 : body.memoryMb();
        if (memoryMb < 0 || memoryMb > MAX_MEMORY_MB) {
            throw ApiException.invalidField("memoryMb", "must be between 0 and " + MAX_MEMORY_MB);
        }
        if (body.engineVersion() != null && body.engineVersion().length() > MAX_ENGINE_VERSION) {
            throw ApiException.invalidField("engineVersion", "must be at most " + MAX_ENGINE_VERSION + " characters");
        }
        String sourceIp = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        WorkerRegistration.Joined joined = registration.join(body.joinToken().strip(),
                new WorkerRegistration.Host(name, cpu.setScale(3, RoundingMode.DOWN), memoryMb,
                        body.engineVersion()), sourceIp);
        return Response.status(201).entity(new JoinResponse(joined.workerId().toString(), joined.credential()))
                .build();
    }
}
