package dev.slipway.engine.network;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The resolver of one user-defined network, run by the engine on the network's gateway address, port 53, UDP and
 * TCP (that address only: it is not reachable from other networks, whose input rules drop it, nor from outside).
 * A query for a name of a container on the network (its name or an alias; exactly one question, class IN) is
 * answered here: A records for type A, an empty NOERROR answer for other types (so clients do not wait for an
 * AAAA that cannot come). Every other query is relayed unchanged to the host's resolvers, read from the host's
 * resolv.conf at each query (the engine runs in the host's namespace, so a resolver on the host's loopback works
 * too), trying each in turn; SERVFAIL when none answers.
 *
 * Lifecycle: {@link #start} when the network's bridge is up → {@link #close} when the network is removed or the
 * engine stops. The names come from {@code lookup}, asked at each query, so they follow containers' starts and
 * stops without any call here.
 */
final class DnsServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsServer.class.getName());
    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;
    private static final int TTL_SECONDS = 5;

    private static final java.util.Map<String, DnsServer> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();

    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;
    private final BiFunction<Integer, String, Optional<List<Integer>>> lookup;
    private final Path resolvConf;
    private volatile boolean closed;
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    private DnsServer(DatagramChannel udp, ServerSocketChannel tcp,
                      BiFunction<Integer, String, Optional<List<Integer>>> lookup, Path resolvConf) {
        this.udp = udp;
        this.tcp = tcp;
        this.lookup = lookup;
        this.resolvConf = resolvConf;
    }

    /**
     * Binds {@code address}:53 and serves until closed.
     *
     * @param lookup given the asking client's address and a name, the addresses of the containers that answer to
     *               that name on the client's networks; empty when the name is none of theirs
     */
    static DnsServer start(String address, BiFunction<Integer, String, Optional<List<Integer>>> lookup,
                           Path resolvConf) throws IOException {
        // an engine restarted inside one JVM (tests) takes the address over from its predecessor's resolver
        DnsServer previous = RUNNING.remove(address);
        if (previous != null) {
            previous.close();
        }
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(address), 53);
        DatagramChannel udp = null;
        ServerSocketChannel tcp = null;
        for (int attempt = 0; ; attempt++) {
            udp = DatagramChannel.open(StandardProtocolFamily.INET);
            tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
            try {
                udp.bind(at);
                tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                tcp.bind(at, 64);
                break;
            } catch (IOException e) {
                udp.close();
                tcp.close();
                // a predecessor's sockets are released only once its blocked receive/accept has returned
                if (previous == null || attempt >= 50) {
                    throw new IOException("cannot serve DNS on " + address + ":53: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while taking over DNS on " + address, e);
                }
            }
        }
        DnsServer server = new DnsServer(udp, tcp, lookup, resolvConf);
        RUNNING.put(address, server);
        server.threads.add(Thread.ofVirtual().name("dns-udp-" + address).start(server::serveUdp));
        server.threads.add(Thread.ofVirtual().name("dns-tcp-" + address).start(server::serveTcp));
        return server;
    }

    private void serveUdp() {
        ByteBuffer in = ByteBuffer.allocate(4096);
        while (!closed) {
            try {
                in.clear();
                var client = udp.receive(in);
                byte[] query = new byte[in.position()];
                in.flip().get(query);
                int source = addressOf(client);
                Thread.ofVirtual().start(() -> {
                    byte[] answer = answer(source, query);
                    if (answer != null) {
                        try {
                            udp.send(ByteBuffer.wrap(answer), client);
                        } catch (IOException e) {
                            LOG.log(Level.FINE, "dns reply failed", e);
                        }
                    }
                });
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "dns (udp) stopped", e);
                }
                return;
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                SocketChannel conn = tcp.accept();
                Thread.ofVirtual().start(() -> serveConnection(conn));
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "dns (tcp) stopped", e);
                }
                return;
            }
        }
    }

    private void serveConnection(SocketChannel conn) {
        try (conn) {
            int source = addressOf(conn.getRemoteAddress());
            conn.socket().setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(conn.socket().getInputStream());
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(conn));
            while (true) {
                int length = in.readUnsignedShort();
                byte[] query = in.readNBytes(length);
                byte[] answer = answer(source, query);
                if (answer == null) {
                    return;
                }
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // client closed, or sent garbage: nothing to answer
        }
    }

    /** The reply to one query: from the network's names, else relayed; null for something not worth an answer. */
    private static int addressOf(java.net.SocketAddress client) {
        byte[] b = ((InetSocketAddress) client).getAddress().getAddress();
        return b.length == 4 ? (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff) : 0;
    }

    byte[] answer(int source, byte[] query) {
        if (query.length < 12 || (query[2] & 0x80) != 0) {
            return null; // too short, or a response
        }
        Question q = Question.parse(query);
        if (q != null) {
            Optional<List<Integer>> addresses = lookup.apply(source, q.name());
            if (addresses.isPresent()) {
                return reply(query, q, q.type() == TYPE_A ? addresses.get() : List.of(), 0);
            }
        }
        byte[] relayed = relay(query);
        return relayed != null ? relayed : reply(query, q, List.of(), 2);
    }

    /** The question of a standard query with exactly one question of class IN; null otherwise. */
    record Question(String name, int type, int end) {
        static Question parse(byte[] m) {
            int opcode = (m[2] >> 3) & 0x0f;
            int questions = (m[4] & 0xff) << 8 | (m[5] & 0xff);
            if (opcode != 0 || questions != 1) {
                return null;
            }
            StringBuilder name = new StringBuilder();
            int i = 12;
            while (i < m.length && m[i] != 0) {
                int len = m[i] & 0xff;
                if (len > 63 || i + 1 + len >= m.length) {
                    return null; // compression or truncation: not a plain question
                }
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(new String(m, i + 1, len, StandardCharsets.US_ASCII));
                i += 1 + len;
            }
            if (i + 5 > m.length) {
                return null;
            }
            int type = (m[i + 1] & 0xff) << 8 | (m[i + 2] & 0xff);
            int klass = (m[i + 3] & 0xff) << 8 | (m[i + 4] & 0xff);
            if (klass != CLASS_IN) {
                return null;
            }
            return new Question(name.toString().toLowerCase(Locale.ROOT), type, i + 5);
        }
    }

    private static byte[] reply(byte[] query, Question q, List<Integer> addresses, int rcode) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        try {
            out.write(query, 0, 2); // id
            boolean recursionDesired = (query[2] & 0x01) != 0;
            out.writeByte(0x80 | (query[2] & 0x78) | (rcode == 0 ? 0x04 : 0) | (recursionDesired ? 1 : 0));
            out.writeByte(0x80 | rcode); // recursion available
            out.writeShort(q == null ? 0 : 1);
            out.writeShort(addresses.size());
            out.writeShort(0);
            out.writeShort(0);
            if (q != null) {
                out.write(query, 12, q.end() - 12);
            }
            for (int address : addresses) {
                out.writeShort(0xc00c); // the question's name
                out.writeShort(TYPE_A);
                out.writeShort(CLASS_IN);
                out.writeInt(TTL_SECONDS);
                out.writeShort(4);
                out.writeInt(address);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array stream does not fail
        }
        return buf.toByteArray();
    }

    private byte[] relay(byte[] query) {
        for (InetAddress upstream : upstreams()) {
            try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
                ch.socket().setSoTimeout(2000);
                ch.connect(new InetSocketAddress(upstream, 53));
                ch.write(ByteBuffer.wrap(query));
                byte[] in = new byte[4096];
                var packet = new java.net.DatagramPacket(in, in.length);
                ch.socket().receive(packet);
                byte[] answer = new byte[packet.getLength()];
                System.arraycopy(in, 0, answer, 0, answer.length);
                return answer;
            } catch (SocketTimeoutException e) {
                LOG.fine("upstream resolver " + upstream + " did not answer");
            } catch (IOException e) {
                LOG.fine("upstream resolver " + upstream + ": " + e);
            }
        }
        return null;
    }

    private List<InetAddress> upstreams() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(resolvConf, StandardCharsets.UTF_8)) {
                String[] t = line.strip().split("\\s+");
                if (t.length >= 2 && t[0].equals("nameserver") && t[1].matches("[0-9.]+")) {
                    out.add(InetAddress.getByName(t[1]));
                }
            }
        } catch (IOException e) {
            LOG.fine("cannot read " + resolvConf + ": " + e);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        RUNNING.values().remove(this);
        udp.close();
        tcp.close();
        for (Thread t : threads) {
            try {
                t.join(2000); // the sockets are really closed once the blocked receive/accept has returned
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
