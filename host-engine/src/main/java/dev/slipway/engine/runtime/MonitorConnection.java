package dev.slipway.engine.runtime;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Client side of the monitor's control socket ({@code <state-dir>/sock}); the protocol is described in
 * src/main/c/monitor.c. The socket disappears when the monitor has recorded the exit status, so "cannot
 * connect" means the process has ended (or its monitor died).
 */
final class MonitorConnection {
    static final String SOCKET = "sock";
    /** sun_path is 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;

    private MonitorConnection() {
    }

    /** Connects and sends the mode byte; empty when the monitor is gone. */
    static Optional<SocketChannel> open(Path stateDir, byte mode, byte... argument) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(stateDir.resolve(SOCKET)));
        } catch (SocketException | NoSuchFileException e) {
            channel.close();
            return Optional.empty();
        }
        ByteBuffer message = ByteBuffer.allocate(1 + argument.length).put(mode).put(argument).flip();
        try {
            while (message.hasRemaining()) {
                channel.write(message);
            }
        } catch (IOException e) {
            // accepted into the backlog just before the monitor finished and closed it (EPIPE, ECONNRESET)
            channel.close();
            return Optional.empty();
        }
        return Optional.of(channel);
    }

    /** Sends a one-shot command and waits until the monitor has carried it out (it then closes). */
    static void command(Path stateDir, byte mode, byte... argument) throws IOException {
        Optional<SocketChannel> channel = open(stateDir, mode, argument);
        if (channel.isPresent()) {
            try (SocketChannel c = channel.get()) {
                drainUntilClosed(c);
            }
        }
    }

    /** Blocks until the monitor has written the exit record and closed the connection. */
    static void awaitExit(Path stateDir) throws IOException {
        Optional<SocketChannel> channel = open(stateDir, (byte) 'w');
        if (channel.isPresent()) {
            try (SocketChannel c = channel.get()) {
                drainUntilClosed(c);
            }
        }
    }

    private static void drainUntilClosed(SocketChannel c) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(64);
        try {
            while (c.read(sink.clear()) >= 0) {
                // the monitor sends nothing on these connections
            }
        } catch (IOException e) {
            // connection reset: the monitor is gone, which is what we wait for
        }
    }
}
