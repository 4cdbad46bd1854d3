/*
 * The launch spec: one "key=value" per line, written by the engine (LaunchSpecFile.java).
 * Values escape backslash as "\\" and newline as "\n", so an environment value may hold any byte but NUL.
 * Keys that may repeat (arg, env, cgroup, mask, readonly, cap) build lists in order; unknown keys are
 * an error, so a newer engine never silently loses a setting on an older monitor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slipway-monitor.h"

static void push(struct strlist *l, char *s)
{
    if (l->n + 2 > l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = realloc(l->v, sizeof(char *) * l->cap);
        if (!l->v) {
            perror("realloc");
            exit(2);
        }
    }
    l->v[l->n++] = s;
    l->v[l->n] = NULL;
}

/* Undoes the engine's escaping in place; returns -1 on a dangling or unknown escape. */
static int unescape(char *s)
{
    char *out = s;
    for (; *s; s++) {
        if (*s != '\\') {
            *out++ = *s;
            continue;
        }
        s++;
        if (*s == '\\')
            *out++ = '\\';
        else if (*s == 'n')
            *out++ = '\n';
        else
            return -1;
    }
    *out = '\0';
    return 0;
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int fail(char *err, size_t errlen, int line, const char *fmt, ...)
{
    int n = snprintf(err, errlen, "spec line %d: ", line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < errlen)
        vsnprintf(err + n, errlen - n, fmt, ap);
    va_end(ap);
    return -1;
}

int spec_parse(const char *text, int exec_mode, struct spec *spec, char *err, size_t errlen)
{
    memset(spec, 0, sizeof(*spec));
    spec->cwd = "/";
    spec->user = "";
    spec->log_max_bytes = 10L << 20;
    spec->log_max_files = 3;
    char *copy = strdup(text);
    int line = 0;
    for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        char *eq = strchr(l, '=');
        if (!eq)
            return fail(err, errlen, line, "expected key=value");
        *eq = '\0';
        char *key = l, *val = eq + 1;
        if (unescape(val))
            return fail(err, errlen, line, "bad escape in value of '%s'", key);
        long n;
        if (!strcmp(key, "state_dir")) spec->state_dir = val;
        else if (!strcmp(key, "rootfs")) spec->rootfs = val;
        else if (!strcmp(key, "cwd")) spec->cwd = val;
        else if (!strcmp(key, "user")) spec->user = val;
        else if (!strcmp(key, "hostname")) spec->hostname = val;
        else if (!strcmp(key, "seccomp")) spec->seccomp = val;
        else if (!strcmp(key, "oom_file")) spec->oom_file = val;
        else if (!strcmp(key, "arg")) push(&spec->args, val);
        else if (!strcmp(key, "env")) push(&spec->env, val);
        else if (!strcmp(key, "cgroup")) push(&spec->cgroups, val);
        else if (!strcmp(key, "mask")) push(&spec->masked, val);
        else if (!strcmp(key, "readonly")) push(&spec->readonly, val);
        else if (!strcmp(key, "label")) ; /* the engine's bookkeeping, not ours */
        else if (!strcmp(key, "id")) ;
        else if (!strcmp(key, "tty") || !strcmp(key, "stdin")) {
            if (parse_long(val, 0, 1, &n))
                return fail(err, errlen, line, "%s must be 0 or 1", key);
            if (key[0] == 't') spec->tty = n; else spec->open_stdin = n;
        } else if (!strcmp(key, "cap")) {
            if (parse_long(val, 0, 63, &n))
                return fail(err, errlen, line, "cap must be a capability number 0-63");
            spec->caps |= 1ULL << n;
        } else if (!strcmp(key, "pid")) {
            if (parse_long(val, 1, 1L << 22, &n))
                return fail(err, errlen, line, "pid must be a process id");
            spec->target_pid = n;
        } else if (!strcmp(key, "log_max_bytes")) {
            if (parse_long(val, 4096, 1L << 40, &n))
                return fail(err, errlen, line, "log_max_bytes must be at least 4096");
            spec->log_max_bytes = n;
        } else if (!strcmp(key, "log_max_files")) {
            if (parse_long(val, 0, 1000, &n))
                return fail(err, errlen, line, "log_max_files must be 0-1000");
            spec->log_max_files = n;
        } else if (!strcmp(key, "net")) {
            if (!strcmp(val, "new")) spec->net = NET_NEW;
            else if (!strcmp(val, "host")) spec->net = NET_HOST;
            else if (!strncmp(val, "join:", 5) && val[5] == '/') { spec->net = NET_JOIN; spec->netns = val + 5; }
            else return fail(err, errlen, line, "net must be new, host or join:/path");
        } else
            return fail(err, errlen, line, "unknown key '%s'", key);
    }
    if (!spec->state_dir || spec->state_dir[0] != '/')
        return fail(err, errlen, line, "state_dir (absolute path) is required");
    if (spec->args.n == 0)
        return fail(err, errlen, line, "at least one arg is required");
    if (spec->cwd[0] != '/')
        return fail(err, errlen, line, "cwd must be absolute");
    if (exec_mode && !spec->target_pid)
        return fail(err, errlen, line, "exec needs pid");
    if (!exec_mode && (!spec->rootfs || spec->rootfs[0] != '/'))
        return fail(err, errlen, line, "rootfs (absolute path) is required");
    if (!spec->env.v)
        push(&spec->env, NULL), spec->env.n = 0;
    return 0;
}
