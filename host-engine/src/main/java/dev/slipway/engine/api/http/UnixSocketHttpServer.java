package dev.slipway.engine.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTP/1.1 on a unix domain socket, one virtual thread per connection. Plain JDK channels rather than Netty:
 * the API needs blocking waits (container exit, log follow, stdin) and raw connection takeover for attach, both
 * of which are simplest when a handler owns its connection's thread; virtual threads make that cheap.
 *
 * Lifecycle: {@link #start} binds (replacing a stale socket file) and accepts until {@link #close}, which
 * closes the listening socket and removes the file; connections already accepted finish on their own.
 */
public final class UnixSocketHttpServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UnixSocketHttpServer.class.getName());

    private final Path socket;
    private final Router router;
    private final ObjectMapper json;
    private final Map<String, String> commonHeaders;
    private final ExecutorService connections = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("api-conn-", 0).factory());
    private ServerSocketChannel server;
    private Thread acceptor;

    public UnixSocketHttpServer(Path socket, Router router, ObjectMapper json, Map<String, String> commonHeaders) {
        this.socket = socket;
        this.router = router;
        this.json = json;
        this.commonHeaders = Map.copyOf(commonHeaders);
    }

    public void start() throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 512);
        // Root-only like dockerd's socket: whoever can talk to it can run anything as root.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        acceptor = Thread.ofPlatform().name("api-accept").daemon(true).start(this::acceptLoop);
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (true) {
            try {
                SocketChannel channel = server.accept();
                connections.execute(new HttpConnection(channel, router, json, commonHeaders));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept failed", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
            Files.deleteIfExists(socket);
        }
        connections.shutdownNow();
    }
}
