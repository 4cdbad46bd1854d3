/* Writes the container log (format in log.h). Never blocks on readers: they read the files. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define LOG_BUFFER (256 << 10)

static void put_be(unsigned char *p, unsigned long long v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = v & 0xff;
}

static unsigned long long get_be(const unsigned char *p, int bytes)
{
    unsigned long long v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

/* The sequence to continue from when the state dir already has a log (a restarted container). */
static int last_sequence(const char *path, unsigned long long *next)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    unsigned char h[LOG_HEADER_SIZE];
    off_t off = 8;
    int found = -1;
    while (pread(fd, h, sizeof(h), off) == (ssize_t)sizeof(h)) {
        *next = get_be(h + 16, 8) + 1;
        found = 0;
        off += sizeof(h) + get_be(h, 4);
    }
    close(fd);
    return found;
}

static int open_current(struct log *log)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/log", log->dir);
    log->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (log->fd < 0)
        return -1;
    struct stat st;
    if (fstat(log->fd, &st))
        return -1;
    log->size = st.st_size;
    if (log->size == 0) {
        if (write(log->fd, LOG_MAGIC, 8) != 8)
            return -1;
        log->size = 8;
    }
    return 0;
}

int log_open(struct log *log, const char *dir, long max_bytes, int max_files)
{
    memset(log, 0, sizeof(*log));
    snprintf(log->dir, sizeof(log->dir), "%s", dir);
    log->max_bytes = max_bytes;
    log->max_files = max_files;
    log->buf = malloc(LOG_BUFFER);
    char path[4096];
    snprintf(path, sizeof(path), "%s/log", dir);
    if (last_sequence(path, &log->sequence)) {
        snprintf(path, sizeof(path), "%s/log.1", dir);
        last_sequence(path, &log->sequence);
    }
    return log->buf ? open_current(log) : -1;
}

static void rotate(struct log *log)
{
    char from[4096], to[4096];
    close(log->fd);
    for (int i = log->max_files - 1; i >= 1; i--) {
        snprintf(from, sizeof(from), "%s/log.%d", log->dir, i);
        snprintf(to, sizeof(to), "%s/log.%d", log->dir, i + 1);
        rename(from, to);
    }
    snprintf(from, sizeof(from), "%s/log", log->dir);
    snprintf(to, sizeof(to), "%s/log.1", log->dir);
    if (log->max_files > 0)
        rename(from, to);
    else
        unlink(from);
    if (open_current(log))
        log->fd = -1; /* disk trouble: keep serving the container, stop logging */
}

void log_flush(struct log *log)
{
    size_t off = 0;
    while (off < log->len && log->fd >= 0) {
        ssize_t n = write(log->fd, log->buf + off, log->len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break; /* ENOSPC and the like: drop rather than stall the container */
        }
        off += n;
    }
    log->size += off;
    log->len = 0;
    if (log->fd >= 0 && log->size >= log->max_bytes)
        rotate(log);
}

static void emit(struct log *log, int stream, const char *data, size_t len, int partial, long long ts)
{
    if (log->len + LOG_HEADER_SIZE + len > LOG_BUFFER)
        log_flush(log);
    unsigned char *h = (unsigned char *)log->buf + log->len;
    put_be(h, len, 4);
    h[4] = stream;
    h[5] = partial ? 1 : 0;
    h[6] = h[7] = 0;
    put_be(h + 8, ts, 8);
    put_be(h + 16, log->sequence++, 8);
    memcpy(h + LOG_HEADER_SIZE, data, len);
    log->len += LOG_HEADER_SIZE + len;
}

void log_output(struct log *log, int stream, const char *data, size_t len, long long ts)
{
    typeof(log->line[0]) *line = &log->line[stream];
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t take = nl ? (size_t)(nl - data) : len;
        if (line->len == 0 && nl && take <= LOG_LINE_MAX) {
            emit(log, stream, data, take, 0, ts); /* common case: a whole line, no copy */
        } else {
            if (line->len == 0)
                line->ts = ts; /* a line's time is when its first byte arrived */
            while (take > 0) {
                size_t room = LOG_LINE_MAX - line->len;
                size_t n = take < room ? take : room;
                memcpy(line->data + line->len, data, n);
                line->len += n;
                data += n;
                len -= n;
                take -= n;
                if (line->len == LOG_LINE_MAX && (take > 0 || !nl)) {
                    emit(log, stream, line->data, line->len, 1, line->ts);
                    line->len = 0;
                    line->ts = ts;
                }
            }
            if (!nl)
                return;
            emit(log, stream, line->data, line->len, 0, line->ts);
            line->len = 0;
            data++;
            len--;
            continue;
        }
        data += take + 1;
        len -= take + 1;
    }
}

void log_close(struct log *log)
{
    for (int s = 1; s <= 2; s++)
        if (log->line[s].len)
            emit(log, s, log->line[s].data, log->line[s].len, 1, log->line[s].ts);
    log_flush(log);
    if (log->fd >= 0) {
        fsync(log->fd);
        close(log->fd);
    }
}
