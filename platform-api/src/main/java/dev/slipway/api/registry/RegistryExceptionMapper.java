package dev.slipway.api.registry;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/**
 * Renders {@link RegistryException} as the distribution spec demands: {@code {"errors":[{code,message,detail}]}}.
 * Only the registry throws RegistryException, so this mapper applies to {@code /v2/} alone; the rest of the API keeps
 * its own error format.
 */
@Provider
public class RegistryExceptionMapper implements ExceptionMapper<RegistryException> {

    @Override
    public Response toResponse(RegistryException e) {
        Map<String, Object> error = Map.of("code", e.error().name(), "message", e.getMessage(), "detail", e.detail());
        Response.ResponseBuilder r = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .entity(Map.of("errors", List.of(error)));
        e.headers().forEach(r::header);
        return r.build();
    }
}
