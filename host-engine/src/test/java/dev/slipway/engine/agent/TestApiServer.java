package dev.slipway.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.engine.container.Engine;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The API's side of the worker protocol, just enough to drive an agent in a test: {@code POST /worker/v1/join}
 * and a WebSocket at {@code /worker/v1/stream} written straight from RFC 6455 over a {@link ServerSocket}
 * (handshake, masked client frames, fragmented text, ping/pong, close). It answers {@code hello} with
 * {@code welcome} (1 s heartbeats and stats) and then the current {@code assign}; everything the worker sends is
 * kept for the test to wait on.
 */
final class TestApiServer implements AutoCloseable {

    static final String CREDENTIAL = "slw_test-credential";
    static final String JOIN_TOKEN = "sjt_test-join-token";
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ObjectMapper json = Engine.objectMapper();
    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    final List<JsonNode> joins = new CopyOnWriteArrayList<>();
    volatile boolean refuseJoins;
    volatile boolean credentialRevoked;
    volatile int streamRefusals;
    volatile List<Wire.InstanceSpec> assignment = List.of();
    private volatile OutputStream stream;

    private TestApiServer(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        // a server closed a moment ago on this port may still hold it while its accept thread wakes up
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return;
            } catch (java.net.BindException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    throw new IOException(interrupted);
                }
            }
        }
    }

    private TestApiServer listen() {
        Thread.ofVirtual().start(this::accept);
        return this;
    }

    static TestApiServer start(int port) throws IOException {
        return new TestApiServer(port).listen();
    }

    /** Starts with {@code assignment} as the set it assigns after the first {@code hello}. */
    static TestApiServer start(int port, List<Wire.InstanceSpec> assignment) throws IOException {
        TestApiServer server = new TestApiServer(port);
        server.assignment = List.copyOf(assignment);
        return server.listen();
    }

    /**
     * Runs the server alone, to try a real worker against it by hand:
     * {@code java -cp <test classpath> dev.slipway.engine.agent.TestApiServer <port>} prints every frame the
     * worker sends; join token {@value #JOIN_TOKEN}.
     */
    public static void main(String[] args) throws Exception {
        TestApiServer server = start(Integer.parseInt(args[0]));
        System.out.println("test API on " + server.url() + ", join token " + JOIN_TOKEN);
        while (true) {
            System.out.println(server.received.take());
        }
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Waits for the next frame the worker sent that matches (frames before it are kept in {@link #seen}). */
    JsonNode await(Predicate<JsonNode> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode frame = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("the worker sent no " + what + " within " + timeout.toSeconds()
                        + " s; it sent: " + seen);
            }
            if (match.test(frame)) {
                return frame;
            }
        }
    }

    static Predicate<JsonNode> type(String type) {
        return f -> f.path("type").asText().equals(type);
    }

    /** Sends a frame down the current stream. */
    synchronized void send(Object message) throws IOException {
        OutputStream out = stream;
        if (out == null) {
            throw new IOException("no worker connected");
        }
        writeFrame(out, 0x1, json.writeValueAsBytes(message));
    }

    void assign(List<Wire.InstanceSpec> instances) throws IOException {
        assignment = List.copyOf(instances);
        send(Map.of("type", "assign", "instances", instances));
    }

    /** Drops every open connection (as a crashed API would). */
    void dropConnections() throws IOException {
        for (Socket s : connections) {
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String requestLine = readLine(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            String[] parts = requestLine.split(" ");
            if (parts[0].equals("POST") && parts[1].equals("/worker/v1/join")) {
                byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                join(out, json.readTree(body));
            } else if (parts[0].equals("GET") && parts[1].equals("/worker/v1/stream")
                    && "websocket".equalsIgnoreCase(headers.get("upgrade"))) {
                if (credentialRevoked || !("Bearer " + CREDENTIAL).equals(headers.get("authorization"))) {
                    streamRefusals++;
                    respond(out, 401, "{\"error\":{\"code\":\"WORKER_UNAUTHORIZED\",\"message\":\"bad credential\"}}");
                    return;
                }
                String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((headers.get("sec-websocket-key") + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stream = out;
                frames(in, out);
            } else {
                respond(out, 404, "{}");
            }
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            // connection gone
        }
    }

    private void join(OutputStream out, JsonNode body) throws IOException {
        joins.add(body);
        if (refuseJoins || !JOIN_TOKEN.equals(body.path("joinToken").asText())) {
            respond(out, 401, "{\"error\":{\"code\":\"JOIN_TOKEN_INVALID\",\"message\":\"unknown join token\"}}");
            return;
        }
        respond(out, 201, "{\"workerId\":\"w-1\",\"credential\":\"" + CREDENTIAL + "\"}");
    }

    private static void respond(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Client frames are masked; text may come in fragments; control frames may come between them. */
    private void frames(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = read(in);
            int b1 = read(in);
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = (read(in) << 8) | read(in);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | read(in);
                }
            }
            if ((b1 & 0x80) == 0) {
                throw new IOException("client frame not masked (RFC 6455 5.1)");
            }
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (opcode) {
                case 0x0, 0x1 -> {
                    message.write(payload);
                    if (fin) {
                        JsonNode frame = json.readTree(message.toByteArray());
                        message.reset();
                        seen.add(frame);
                        received.add(frame);
                        if (type("hello").test(frame)) {
                            synchronized (this) {
                                writeFrame(out, 0x1, json.writeValueAsBytes(Map.of("type", "welcome", "workerId",
                                        frame.path("workerId").asText(), "heartbeatSeconds", 1, "lostAfterSeconds", 30,
                                        "statsSeconds", 1, "registry", "http://127.0.0.1:1")));
                                writeFrame(out, 0x1, json.writeValueAsBytes(Map.of("type", "assign", "instances",
                                        assignment)));
                            }
                        }
                    }
                }
                case 0x8 -> {
                    synchronized (this) {
                        writeFrame(out, 0x8, payload);
                    }
                    return;
                }
                case 0x9 -> {
                    synchronized (this) {
                        writeFrame(out, 0xA, payload);
                    }
                }
                default -> {
                    // pong or binary: nothing to do
                }
            }
        }
    }

    private static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        List<Integer> header = new ArrayList<>(List.of(0x80 | opcode));
        if (payload.length < 126) {
            header.add(payload.length);
        } else if (payload.length < 65536) {
            header.addAll(List.of(126, payload.length >>> 8, payload.length & 0xff));
        } else {
            header.add(127);
            for (int i = 7; i >= 0; i--) {
                header.add((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        for (int b : header) {
            out.write(b);
        }
        out.write(payload);
        out.flush();
    }

    private static int read(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (b < 0 && line.isEmpty()) {
            throw new EOFException();
        }
        return line.toString();
    }
}
