package dev.slipway.engine.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.api.http.Router;
import dev.slipway.engine.api.http.UnixSocketHttpServer;
import dev.slipway.engine.container.ContainerService;
import dev.slipway.engine.image.ImageStore;
import dev.slipway.engine.runtime.ContainerLog;
import java.nio.file.Path;
import java.util.Map;

/**
 * The subset of the Docker Engine API that Slipway serves on its local socket. API version 1.43 is advertised:
 * docker 28 clients negotiate down to it, and Debian's 20.10 client (1.41) is below it; paths may carry any
 * {@code /v1.xx} prefix.
 */
public final class DockerApi {

    public static final String API_VERSION = "1.43";
    public static final String MIN_API_VERSION = "1.24";
    public static final String ENGINE_VERSION = "0.1.0-slipway";

    private DockerApi() {
    }

    public static UnixSocketHttpServer server(Path socket, Path dataDir, ContainerService containers,
                                              ImageStore images, ContainerLog log, String cgroupVersion,
                                              ObjectMapper json) {
        Router router = new Router();
        ContainerLogs logs = new ContainerLogs(containers, log);
        new SystemRoutes(containers, images, dataDir, cgroupVersion).register(router);
        new ContainerRoutes(containers, logs, new ContainerStats(containers, json), json).register(router);
        new ExecRoutes(containers, logs, json).register(router);
        new ImageRoutes(images, containers, json).register(router);
        new NetworkRoutes(containers, json).register(router);
        return new UnixSocketHttpServer(socket, router, json, Map.of(
                "Api-Version", API_VERSION,
                "Docker-Experimental", "false",
                "Ostype", "linux",
                "Server", "Slipway-Engine/" + ENGINE_VERSION + " (linux)"));
    }
}
