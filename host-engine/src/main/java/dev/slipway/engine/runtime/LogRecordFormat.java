package dev.slipway.engine.runtime;

/**
 * The monitor's log file format (defined in src/main/c/log.h): an 8-byte magic, then records of a 24-byte
 * big-endian header (u32 length, u8 stream, u8 flags, u16 zero, u64 timestamp ns, u64 sequence) and payload.
 */
final class LogRecordFormat {
    static final byte[] MAGIC = {'S', 'L', 'W', 'L', 'O', 'G', '1', '\n'};
    static final int HEADER = 24;
    static final int MAX_PAYLOAD = 16384;
    static final int FLAG_PARTIAL = 1;
    static final String CURRENT = "log";

    private LogRecordFormat() {
    }
}
