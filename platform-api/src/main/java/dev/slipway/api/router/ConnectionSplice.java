package dev.slipway.api.router;

import io.vertx.core.net.NetSocket;

/**
 * Joins a client's connection and an instance's connection after both agreed to switch protocols (a WebSocket's
 * {@code 101 Switching Protocols}): bytes flow both ways unchanged and with back-pressure, and when either side
 * ends or fails, both close. The router does not parse frames, so any upgraded protocol passes through.
 */
final class ConnectionSplice {

    private ConnectionSplice() {
    }

    static void join(NetSocket client, NetSocket instance) {
        client.closeHandler(v -> instance.close());
        instance.closeHandler(v -> client.close());
        client.exceptionHandler(e -> instance.close());
        instance.exceptionHandler(e -> client.close());
        client.pipeTo(instance);
        instance.pipeTo(client);
    }
}
