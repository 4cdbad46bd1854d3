package dev.slipway.engine.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a chunked response body. Every {@link #flush} sends what was written so far as one chunk, so streaming
 * endpoints (progress, logs -f, wait) reach the client at once; {@link #close} sends the terminating chunk but
 * leaves the connection open for the next request.
 */
public final class ChunkedOutputStream extends OutputStream {

    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int count;
    private boolean closed;

    ChunkedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            sendChunk();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (length >= buffer.length) {
            sendChunk();
            writeChunk(data, offset, length);
            return;
        }
        if (count + length > buffer.length) {
            sendChunk();
        }
        System.arraycopy(data, offset, buffer, count, length);
        count += length;
    }

    @Override
    public void flush() throws IOException {
        sendChunk();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        sendChunk();
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void sendChunk() throws IOException {
        if (count > 0) {
            writeChunk(buffer, 0, count);
            count = 0;
        }
    }

    private void writeChunk(byte[] data, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data, offset, length);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
