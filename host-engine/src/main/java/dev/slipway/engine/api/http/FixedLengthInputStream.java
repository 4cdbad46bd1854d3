package dev.slipway.engine.api.http;

import java.io.IOException;
import java.io.InputStream;

/** A request body of known length: ends after exactly that many bytes, never reads into the next request. */
final class FixedLengthInputStream extends InputStream {

    private final InputStream in;
    private long remaining;

    FixedLengthInputStream(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed before the request body ended");
        }
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new IOException("connection closed before the request body ended");
        }
        remaining -= n;
        return n;
    }
}
