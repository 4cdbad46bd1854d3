package dev.slipway.engine.network;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;

/** HTTP from the host itself to published ports, retrying while the container's server comes up. */
final class HostHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HostHttp() {
    }

    static String get(int port) throws Exception {
        return get("127.0.0.1", port);
    }

    static String get(String host, int port) throws Exception {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port
                        + "/")).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                return r.body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no answer from http://" + host + ":" + port + "/", last);
    }

    static void assertRefused(String host, int port) {
        assertThrows(ConnectException.class, () -> new Socket(host, port).close(), host + ":" + port);
    }

    /** An IPv4 address of this host that is not loopback and not one of the engines' bridges. */
    static String hostAddress() throws Exception {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback() || nif.getName().startsWith("sl") || nif.getName().startsWith("sw")) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return a.getHostAddress();
                }
            }
        }
        throw new AssertionError("this host has no IPv4 address besides loopback and bridges");
    }
}
