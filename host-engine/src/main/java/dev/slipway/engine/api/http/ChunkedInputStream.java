package dev.slipway.engine.api.http;

import java.io.IOException;
import java.io.InputStream;

/** Decodes a chunked transfer-encoded request body; ends after the terminating zero-size chunk and trailers. */
final class ChunkedInputStream extends InputStream {

    private final InputStream in;
    private long remainingInChunk;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        if (remainingInChunk == 0) {
            remainingInChunk = nextChunkSize();
            if (remainingInChunk == 0) {
                while (!HttpConnection.readLine(in).isEmpty()) {
                    // trailers are ignored
                }
                done = true;
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remainingInChunk));
        if (n < 0) {
            throw new IOException("connection closed inside a chunk");
        }
        remainingInChunk -= n;
        if (remainingInChunk == 0) {
            HttpConnection.readLine(in);
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = HttpConnection.readLine(in);
        int ext = line.indexOf(';');
        String hex = (ext < 0 ? line : line.substring(0, ext)).trim();
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + line);
        }
    }
}
