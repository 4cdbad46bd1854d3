/*
 * The container log: append-only files <state_dir>/log (current), log.1 ... log.N (older), written only by
 * the monitor. A file starts with the 8 bytes "SLWLOG1\n", then records, all integers big-endian:
 *
 *   u32 length | u8 stream (1 stdout, 2 stderr) | u8 flags (1 = partial: no newline ended it) | u16 zero |
 *   u64 timestamp (ns since the epoch, CLOCK_REALTIME) | u64 sequence (0, 1, 2, ... per container) | payload
 *
 * A payload is one line without its newline, at most LOG_LINE_MAX bytes; longer lines are split into partial
 * records. Records are written in whole, so a reader that sees a short record at the end of the current file
 * is looking at a write in progress and waits. When the current file reaches log_max_bytes it is renamed to
 * log.1 (older ones shift up, the oldest beyond log_max_files is deleted) and a new current file starts.
 */
#ifndef SLIPWAY_LOG_H
#define SLIPWAY_LOG_H

#include <stddef.h>

#define LOG_LINE_MAX 16384
#define LOG_HEADER_SIZE 24
#define LOG_MAGIC "SLWLOG1\n"

struct log {
    int fd;
    char dir[4000];
    long max_bytes;
    int max_files;
    long size;
    unsigned long long sequence;
    char *buf;
    size_t len;
    struct { char data[LOG_LINE_MAX]; size_t len; long long ts; } line[3]; /* per stream */
};

int log_open(struct log *log, const char *dir, long max_bytes, int max_files);
void log_output(struct log *log, int stream, const char *data, size_t len, long long ts);
void log_flush(struct log *log);
void log_close(struct log *log);

#endif
