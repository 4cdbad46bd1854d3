package dev.slipway.api.workers;

import dev.slipway.api.identity.CurrentCaller;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Platform admins list the worker fleet and deregister workers. */
@Path("/api/v1/admin/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerResource {

    @Inject
    WorkerAdministration workers;

    @Inject
    CurrentCaller caller;

    @GET
    public List<WorkerAdministration.WorkerView> list() {
        PlatformAdmins.require(caller, "list workers");
        return workers.list();
    }

    @DELETE
    @Path("/{id}")
    public Response remove(@PathParam("id") String id) {
        PlatformAdmins.require(caller, "remove workers");
        workers.remove(JoinTokenResource.parseId(id, "WORKER_NOT_FOUND", "worker"));
        return Response.noContent().build();
    }
}
