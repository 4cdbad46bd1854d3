package dev.slipway.engine.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Serves the requests of one client connection in turn (HTTP/1.1 keep-alive) until the client closes it or a
 * handler hijacks it. Runs on its own (virtual) thread, so handlers may block: on a container's exit, on log
 * lines, on the client's stdin.
 */
final class HttpConnection implements Runnable {

    private static final Logger LOG = Logger.getLogger(HttpConnection.class.getName());
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");
    private static final int MAX_LINE = 64 * 1024;
    private static final Set<String> NO_REQUEST_LOG = Set.of("/_ping");

    private final SocketChannel channel;
    private final Router router;
    private final ObjectMapper json;
    private final Map<String, String> commonHeaders;

    HttpConnection(SocketChannel channel, Router router, ObjectMapper json, Map<String, String> commonHeaders) {
        this.channel = channel;
        this.router = router;
        this.json = json;
        this.commonHeaders = commonHeaders;
    }

    @Override
    public void run() {
        boolean hijacked = false;
        try {
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 16 * 1024);
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                HttpResponse response = serve(requestLine, in, out);
                if (response == null) {
                    return;
                }
                if (response.hijacked()) {
                    hijacked = true;
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection ended", e);
        } finally {
            if (!hijacked) {
                closeQuietly();
            }
        }
    }

    /** Serves one request; null when the connection must close afterwards. */
    private HttpResponse serve(String requestLine, InputStream in, OutputStream out) throws IOException {
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            throw new IOException("bad request line: " + requestLine);
        }
        Map<String, String> headers = readHeaders(in);
        String target = parts[1];
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String rawQuery = q < 0 ? null : target.substring(q + 1);
        String version = null;
        var m = VERSION_PREFIX.matcher(rawPath);
        if (m.matches()) {
            version = m.group(1);
            rawPath = m.group(2);
        }
        InputStream body = bodyOf(headers, in);
        boolean upgrade = "tcp".equalsIgnoreCase(headers.get("upgrade"));
        HttpRequest request = new HttpRequest(parts[0], rawPath, version, HttpRequest.parseQuery(rawQuery), headers,
                body);
        HttpResponse response = new HttpResponse(out, in, channel, json, commonHeaders, upgrade);
        dispatch(request, response);
        if (response.hijacked()) {
            return response;
        }
        response.finish();
        body.transferTo(OutputStream.nullOutputStream());
        if (!NO_REQUEST_LOG.contains(rawPath)) {
            LOG.fine(() -> parts[0] + " " + target + " -> " + response.status());
        }
        return "close".equalsIgnoreCase(headers.get("connection")) ? null : response;
    }

    private void dispatch(HttpRequest request, HttpResponse response) throws IOException {
        Router.Match match = router.match(request.method(), request.path());
        try {
            if (match.handler() == null) {
                if (match.pathKnown()) {
                    throw new ApiError(405, "method " + request.method() + " not allowed on " + request.path());
                }
                throw ApiError.notFound("page not found");
            }
            match.handler().handle(request, response, match.params());
        } catch (ApiError e) {
            renderError(response, e.status(), e.getMessage());
        } catch (IOException e) {
            if (response.committed()) {
                throw e;
            }
            LOG.log(Level.WARNING, request.method() + " " + request.path() + " failed", e);
            renderError(response, 500, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            LOG.log(Level.WARNING, request.method() + " " + request.path() + " failed", e);
            renderError(response, 500, e.toString());
        }
        if (!response.committed()) {
            renderError(response, 500, "handler sent no response");
        }
    }

    private void renderError(HttpResponse response, int status, String message) throws IOException {
        if (response.committed()) {
            LOG.warning("error after the response started: " + status + " " + message);
            return;
        }
        if (status == 304) {
            response.empty(304);
            return;
        }
        response.json(status, Map.of("message", message));
    }

    private static InputStream bodyOf(Map<String, String> headers, InputStream in) throws IOException {
        String encoding = headers.get("transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String length = headers.get("content-length");
        if (length == null) {
            return InputStream.nullInputStream();
        }
        try {
            return new FixedLengthInputStream(in, Long.parseLong(length.trim()));
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + length);
        }
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("connection closed inside the request head");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
    }

    /** Reads one CRLF- (or LF-) terminated line; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("header line too long");
            }
            line.write(b);
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
