/*
 * slipway-monitor: the only part of Slipway's runtime that runs between fork and exec.
 *
 * The JVM is multi-threaded, so it must not fork and then run code that sets up namespaces. The engine
 * writes a launch spec (a key=value file, see spec.c) and runs this program; the program forks a monitor
 * that leaves the engine's session, clones the container's init into new namespaces, and stays its parent:
 * it keeps the stdio, writes the log file, serves the control socket, and records the exit status.
 * Policy (which capabilities, which paths to mask, which seccomp filter) comes from the spec; this program
 * only applies it.
 */
#ifndef SLIPWAY_MONITOR_H
#define SLIPWAY_MONITOR_H

#include <stddef.h>
#include <sys/types.h>

struct strlist {
    char **v; /* NULL-terminated */
    int n;
    int cap;
};

enum netmode { NET_NEW, NET_HOST, NET_JOIN };

struct spec {
    char *state_dir;        /* where the log, exit record and control socket live */
    char *rootfs;           /* run mode: the mounted root filesystem */
    char *cwd;              /* working directory inside the container */
    char *user;             /* "", "uid", "name", with optional ":group" */
    char *hostname;
    char *seccomp;          /* path of a BPF program (struct sock_filter[]) or NULL */
    char *oom_file;         /* cgroup file with an "oom_kill N" line, read after init exits */
    char *netns;            /* NET_JOIN: path of the namespace to join */
    enum netmode net;
    int tty;
    int open_stdin;
    pid_t target_pid;       /* exec mode: host pid of the container's init */
    long log_max_bytes;     /* rotate the log file when it grows past this */
    int log_max_files;      /* rotated files kept besides the current one */
    unsigned long long caps; /* bit set of capabilities kept (bounding, effective, permitted) */
    struct strlist args, env, cgroups, masked, readonly;
};

/* spec.c */
int spec_parse(const char *text, int exec_mode, struct spec *spec, char *err, size_t errlen);

/* container.c: everything done inside the new process before exec. Never returns; on failure
 * writes a message to errfd and exits 127. With a tty, the pty is opened inside the container's own devpts
 * and its master is sent to the monitor over ptysock (SCM_RIGHTS); ptysock is -1 without a tty. */
struct sock_fprog;
void container_init(const struct spec *spec, struct sock_fprog *filter, int errfd, int exec_mode,
                    const int *nsfds, int ptysock);

/* Names and clone flags of the namespaces exec mode joins, in the order they are entered. */
#define NS_COUNT 6
extern const char *const ns_names[NS_COUNT];
extern const int ns_flags[NS_COUNT];

#endif
