package dev.slipway.api.apps;

import dev.slipway.api.apps.AppViews.Accepted;
import dev.slipway.api.apps.AppViews.AppView;
import dev.slipway.api.apps.AppViews.ConfigView;
import dev.slipway.api.apps.AppViews.ReleaseView;
import dev.slipway.api.error.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Apps of a tenant, their releases and config: the desired-state API (docs/apps.md). */
@Path("/api/v1/tenants/{tenant}/apps")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AppResource {

    /** Shown instead of a secret config value. */
    static final String MASK = "********";

    @Inject
    AppService apps;

    public record CreateApp(String name) {
    }

    public record Scale(Integer replicas) {
    }

    public record Rollback(String release) {
    }

    public record Config(Map<String, String> env, List<String> secrets) {
    }

    public record Restarted(int restartGeneration) {
    }

    @POST
    public Response create(@PathParam("tenant") String tenant, CreateApp body) {
        App app = apps.create(tenant, present(body).name());
        return Response.created(URI.create(base(tenant, app.name))).entity(view(tenant, app.name)).build();
    }

    @GET
    public List<AppView> list(@PathParam("tenant") String tenant) {
        return apps.list(tenant).stream().map(AppViews::app).toList();
    }

    @GET
    @Path("/{app}")
    public AppView get(@PathParam("tenant") String tenant, @PathParam("app") String app) {
        return view(tenant, app);
    }

    @DELETE
    @Path("/{app}")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("app") String app) {
        apps.delete(tenant, app);
        return Response.noContent().build();
    }

    @POST
    @Path("/{app}/deployments")
    public Response deploy(@PathParam("tenant") String tenant, @PathParam("app") String app, DeploymentRequest body) {
        return accepted(tenant, app, apps.deploy(tenant, app, body));
    }

    @POST
    @Path("/{app}/rollback")
    public Response rollback(@PathParam("tenant") String tenant, @PathParam("app") String app, Rollback body) {
        return accepted(tenant, app, apps.rollback(tenant, app, present(body).release()));
    }

    @POST
    @Path("/{app}/scale")
    public Response scale(@PathParam("tenant") String tenant, @PathParam("app") String app, Scale body) {
        apps.scale(tenant, app, present(body).replicas());
        return Response.accepted(view(tenant, app)).build();
    }

    @POST
    @Path("/{app}/restart")
    public Response restart(@PathParam("tenant") String tenant, @PathParam("app") String app) {
        return Response.accepted(new Restarted(apps.restart(tenant, app).restartGeneration)).build();
    }

    @GET
    @Path("/{app}/releases")
    public List<ReleaseView> releases(@PathParam("tenant") String tenant, @PathParam("app") String app) {
        return apps.releases(tenant, app).stream().map(AppViews::release).toList();
    }

    @GET
    @Path("/{app}/releases/{release}")
    public ReleaseView release(@PathParam("tenant") String tenant, @PathParam("app") String app,
            @PathParam("release") String release) {
        return AppViews.release(apps.release(tenant, app, release));
    }

    @GET
    @Path("/{app}/config")
    public ConfigView config(@PathParam("tenant") String tenant, @PathParam("app") String app) {
        return masked(apps.config(tenant, app));
    }

    @PUT
    @Path("/{app}/config")
    public ConfigView putConfig(@PathParam("tenant") String tenant, @PathParam("app") String app, Config body) {
        Config config = present(body);
        return masked(apps.replaceConfig(tenant, app, config.env(), config.secrets()));
    }

    private AppView view(String tenant, String app) {
        return AppViews.app(apps.read(tenant, app));
    }

    private static Response accepted(String tenant, String app, Release release) {
        String label = AppViews.label(release.version);
        return Response.accepted(new Accepted(release.id, label, release.status))
                .location(URI.create(base(tenant, app) + "/releases/" + label)).build();
    }

    private static ConfigView masked(List<ConfigEntry> entries) {
        Map<String, String> env = new LinkedHashMap<>();
        entries.forEach(e -> env.put(e.key, e.secret ? MASK : e.value));
        return new ConfigView(env, entries.stream().filter(e -> e.secret).map(e -> e.key).toList());
    }

    private static <T> T present(T body) {
        if (body == null) {
            throw ApiException.badRequest("MISSING_BODY", "this request needs a JSON body");
        }
        return body;
    }

    private static String base(String tenant, String app) {
        return "/api/v1/tenants/" + tenant + "/apps/" + app;
    }
}
