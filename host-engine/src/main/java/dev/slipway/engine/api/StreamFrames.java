package dev.slipway.engine.api;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's multiplexed stream format for non-tty output: an 8-byte header {stream, 0, 0, 0, size as big-endian
 * uint32} before each payload; stream 1 is stdout, 2 stderr. With a tty the bytes go out raw instead.
 */
final class StreamFrames {

    private StreamFrames() {
    }

    static void write(OutputStream out, int stream, byte[] data, int offset, int length) throws IOException {
        byte[] header = {(byte) stream, 0, 0, 0, (byte) (length >>> 24), (byte) (length >>> 16),
            (byte) (length >>> 8), (byte) length};
        out.write(header);
        out.write(data, offset, length);
    }
}
