package dev.slipway.engine.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver on the host's loopback (a random 127.53.x.y, port 53) standing in for "the host's resolvers": it
 * answers {@code outside.test} with one A record and everything else with NXDOMAIN, and counts the queries, so a
 * test sees that the engine relayed them. Its {@link #resolvConf} is what the engine is told to read.
 */
final class FakeUpstreamResolver implements AutoCloseable {

    static final String NAME = "outside.test";
    static final String ADDRESS = "198.18.7.9";

    private final DatagramChannel channel;
    private final Path resolvConf;
    final AtomicInteger queries = new AtomicInteger();

    private FakeUpstreamResolver(DatagramChannel channel, Path resolvConf) {
        this.channel = channel;
        this.resolvConf = resolvConf;
    }

    static FakeUpstreamResolver start(Path scratch) throws IOException {
        String address = "127.53." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(1, 255);
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(address, 53));
        Path conf = scratch.resolve("upstream-resolv.conf");
        Files.writeString(conf, "nameserver " + address + "\n");
        FakeUpstreamResolver resolver = new FakeUpstreamResolver(channel, conf);
        Thread.ofVirtual().start(resolver::serve);
        return resolver;
    }

    Path resolvConf() {
        return resolvConf;
    }

    private void serve() {
        ByteBuffer in = ByteBuffer.allocate(1500);
        while (channel.isOpen()) {
            try {
                in.clear();
                var client = channel.receive(in);
                byte[] q = new byte[in.position()];
                in.flip().get(q);
                queries.incrementAndGet();
                channel.send(ByteBuffer.wrap(answer(q)), client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static byte[] answer(byte[] q) {
        int i = 12;
        StringBuilder name = new StringBuilder();
        while (q[i] != 0) {
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(q, i + 1, q[i], StandardCharsets.US_ASCII));
            i += 1 + q[i];
        }
        int questionEnd = i + 5;
        int type = (q[i + 1] & 0xff) << 8 | (q[i + 2] & 0xff);
        boolean known = name.toString().equalsIgnoreCase(NAME);
        boolean withAnswer = known && type == 1;
        ByteBuffer out = ByteBuffer.allocate(questionEnd + 16);
        out.put(q, 0, 2).put((byte) 0x81).put((byte) (known ? 0x80 : 0x83))
                .putShort((short) 1).putShort((short) (withAnswer ? 1 : 0)).putShort((short) 0).putShort((short) 0)
                .put(q, 12, questionEnd - 12);
        if (withAnswer) {
            out.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4);
            for (String octet : ADDRESS.split("\\.")) {
                out.put((byte) Integer.parseInt(octet));
            }
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
