package dev.slipway.engine.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe against real sockets on loopback: answers, and a listener whose kernel drops our SYNs. */
class HealthProbeTest {

    private static final Wire.HealthCheck CHECK = new Wire.HealthCheck("/health", 5, 1);

    @Test
    void aSuccessfulAnswerIsHealthyAndAServerErrorIsNot() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int[] status = {200};
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        server.start();
        try {
            String endpoint = "127.0.0.1:" + server.getAddress().getPort();
            assertTrue(new HealthProbe().check(endpoint, CHECK));
            status[0] = 500;
            assertFalse(new HealthProbe().check(endpoint, CHECK));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aConnectWhoseSynIsDroppedFailsWithinTheTimeoutInsteadOfWaitingForTheKernelsRetries() throws Exception {
        // A listener that never accepts: once its accept queue is full, Linux drops further SYNs, as it does
        // for a container whose interface is not up yet, and a plain connect waits for SYN retransmissions.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                boolean dropping = false;
                for (int i = 0; i < 16 && !dropping; i++) {
                    Socket s = new Socket();
                    queued.add(s);
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
                    } catch (SocketTimeoutException dropped) {
                        dropping = true;
                    }
                }
                assertTrue(dropping, "the kernel kept accepting connections into a full queue");
                long start = System.nanoTime();
                assertFalse(new HealthProbe().check("127.0.0.1:" + full.getLocalPort(), CHECK));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 1500, "a probe with a 1 s timeout took " + millis + " ms");
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }
}
