package dev.slipway.engine.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Recognises a gzip'd stream by its magic bytes, since media types of archives and layers cannot be trusted. */
public final class Decompression {
    private Decompression() {
    }

    /** The stream's uncompressed content: gunzipped when it starts with gzip's magic, otherwise as is. */
    public static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(4);
        buffered.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new BufferedInputStream(new GzipCompressorInputStream(buffered, true), 64 * 1024);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            throw new IOException("zstd-compressed content is not supported (use gzip or uncompressed layers)");
        }
        return buffered;
    }
}
