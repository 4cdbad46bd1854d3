package dev.slipway.engine.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.slipway.engine.api.DockerApi;
import dev.slipway.engine.api.http.UnixSocketHttpServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One running engine: the container service over the given parts, recovered from the data dir, served on the
 * local socket. {@link #close} stops serving and leaves containers running (they belong to their monitors), so
 * a new engine on the same data dir adopts them.
 */
public final class Engine implements AutoCloseable {

    private final UnixSocketHttpServer server;
    private final ContainerService containers;
    private final ExecutorService async;

    private Engine(UnixSocketHttpServer server, ContainerService containers, ExecutorService async) {
        this.server = server;
        this.containers = containers;
        this.async = async;
    }

    public static ObjectMapper objectMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static Engine start(Path socket, Path dataDir, EngineParts parts) throws IOException {
        ObjectMapper json = objectMapper();
        ExecutorService async = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("engine-", 0).factory());
        ContainerStore store = new ContainerStore(dataDir.resolve("containers"), json);
        ContainerService containers = new ContainerService(store, dataDir.resolve("run"), parts.images(), parts.snapshots(),
                parts.runtime(), async, parts.network());
        containers.recover();
        UnixSocketHttpServer server = DockerApi.server(socket, dataDir, containers, parts.images(), parts.log(),
                parts.runtime().cgroupVersion(), json);
        server.start();
        return new Engine(server, containers, async);
    }

    public ContainerService containers() {
        return containers;
    }

    public Path socket() {
        return server.socket();
    }

    @Override
    public void close() throws IOException {
        server.close();
        async.shutdownNow();
    }
}
