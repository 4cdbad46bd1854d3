package dev.slipway.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become HTTP responses for the REST API. Every method renders
 * {@link ErrorBody}; the several methods exist only because JAX-RS picks the mapper of the most specific
 * exception type, and Quarkus ships its own mappers for Jackson and security exceptions that would otherwise
 * answer with a different body.
 */
public class ApiExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);
    static final String CHALLENGE = "Bearer realm=\"slipway\", Basic realm=\"slipway\"";

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return render(e.status(), e.code(), e.message());
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return render(400, "UNKNOWN_FIELD", "unknown field '" + path(e) + "'; accepted fields: "
                + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    }

    @ServerExceptionMapper({InvalidFormatException.class, ValueInstantiationException.class,
            MismatchedInputException.class, JsonMappingException.class})
    public Response invalidValue(JsonMappingException e) {
        // Jackson wraps syntax errors met while binding a field; those are malformed JSON, not a bad value.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamReadException malformed) {
                return malformedJson(malformed);
            }
        }
        String field = path(e);
        if (field.isEmpty()) {
            return render(400, "INVALID_BODY", "the request body does not have the expected JSON shape");
        }
        return render(400, "INVALID_FIELD", field + ": value has the wrong type or format");
    }

    @ServerExceptionMapper({StreamReadException.class, JsonProcessingException.class})
    public Response malformedJson(JsonProcessingException e) {
        return render(400, "INVALID_JSON", "the request body is not well-formed JSON");
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class,
            AuthenticationCompletionException.class, AuthenticationRedirectException.class})
    public Response unauthenticated(RuntimeException e) {
        return Response.fromResponse(render(401, "UNAUTHORIZED",
                        "missing or invalid credentials: send a Keycloak access token or a personal access token"))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return render(403, "FORBIDDEN", "not allowed");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // The REST layer wraps some body-reading failures; answer them as if they had reached us unwrapped.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonMappingException mapping) {
                return invalidValue(mapping);
            }
            if (cause instanceof JsonProcessingException malformed) {
                return malformedJson(malformed);
            }
        }
        int status = e.getResponse().getStatus();
        return render(status, codeFor(status), e.getMessage() == null ? "request failed" : e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return render(500, "INTERNAL", "internal error; the server log has the details");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> status >= 500 ? "INTERNAL" : "REQUEST_FAILED";
        };
    }

    static Response render(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(code, message)).build();
    }
}
