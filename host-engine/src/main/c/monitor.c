/*
 * slipway-monitor run|exec <spec-file>
 *
 * The launcher (the process the engine starts) forks the monitor and waits until the container's process
 * has called exec (or failed), then prints "ok <pid> <monitor-pid>" and exits 0, or prints the reason on
 * stderr and exits 1 (launch failed) or 2 (bad spec). The monitor leaves the engine's session, so killing the
 * engine leaves it and the container running.
 *
 * The monitor, until the process has ended:
 *  - reads the process's stdout/stderr (pipes, or a pty master) and appends log records (see log.c);
 *  - serves <state_dir>/sock, a unix socket whose clients send one byte to say what they want:
 *      'a' attach: following bytes go to the process's stdin; output is sent to the client (frames of
 *          1 byte stream, 4 bytes big-endian length, payload; raw bytes with a tty). Output produced before the
 *          first attach (up to 256 KiB) is kept for it, so an engine that attaches right after start loses nothing.
 *      'w' wait: nothing is sent; the connection closes once the exit record is written.
 *      's' + 1 byte signal number: signals the process (the monitor is its parent, so the pid is never stale).
 *      'r' + 2x u16 big-endian rows, cols: resizes the pty.
 *  - then writes <state_dir>/exit atomically (tmp + rename) after the log is flushed, and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "slipway-monitor.h"
#include "log.h"

#define MAX_CLIENTS 64
#define CLIENT_BUFFER_MAX (4 << 20) /* a client that falls this far behind is disconnected */
#define BACKLOG_MAX (256 << 10)

struct buf {
    char *data;
    size_t len, cap;
};

struct client {
    int fd;
    char mode;        /* 0 until the first byte arrives */
    int stdin_closed; /* attach client half-closed its side */
    struct buf out;
    unsigned char cmd[5];
    int cmdlen;
};

static struct spec spec;
static struct log log_file;
static struct client clients[MAX_CLIENTS];
static int nclients;
static struct buf backlog;
static int attached_once;
static int stdin_fd = -1; /* container stdin (pipe write end or pty master) */
static struct buf stdin_pending;
static pid_t child_pid;
static int child_status = -1;
static int report_fd = -1;

/* Before the launch is reported, failures go to the launcher; afterwards nobody is listening. */
static void fatal(const char *what)
{
    char msg[512];
    int n = snprintf(msg, sizeof(msg), "%s: %s", what, strerror(errno));
    if (report_fd >= 0 && write(report_fd, msg, n) < 0)
        _exit(1);
    _exit(1);
}

static int buf_append(struct buf *b, const void *data, size_t len, size_t max)
{
    if (b->len + len > max)
        return -1;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

static void buf_consume(struct buf *b, size_t n)
{
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    if (b->len == 0 && b->cap > 65536) {
        free(b->data);
        b->data = NULL;
        b->cap = 0;
    }
}

static void drop_client(int i)
{
    close(clients[i].fd);
    free(clients[i].out.data);
    clients[i] = clients[--nclients];
}

static void client_flush(int i)
{
    struct client *c = &clients[i];
    while (c->out.len) {
        ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN)
                return;
            c->out.len = 0;
            c->mode = 'x'; /* gone: dropped by the main loop */
            return;
        }
        buf_consume(&c->out, n);
    }
}

/* Sends one chunk of output to every attach client, framed unless a tty merges the streams. */
static void broadcast(int stream, const char *data, size_t len)
{
    unsigned char hdr[5] = {stream, len >> 24, len >> 16, len >> 8, len};
    int any = 0;
    for (int i = 0; i < nclients; i++) {
        struct client *c = &clients[i];
        if (c->mode != 'a')
            continue;
        any = 1;
        if ((!spec.tty && buf_append(&c->out, hdr, 5, CLIENT_BUFFER_MAX)) ||
            buf_append(&c->out, data, len, CLIENT_BUFFER_MAX))
            c->mode = 'x';
        else
            client_flush(i);
    }
    if (!any && !attached_once && backlog.len + len + 5 <= BACKLOG_MAX) {
        if (!spec.tty)
            buf_append(&backlog, hdr, 5, BACKLOG_MAX);
        buf_append(&backlog, data, len, BACKLOG_MAX);
    }
}

static void close_stdin(void)
{
    if (stdin_fd >= 0 && !spec.tty) {
        close(stdin_fd);
        stdin_fd = -1;
    }
}

static void forward_stdin(const char *data, size_t len)
{
    if (stdin_fd < 0)
        return;
    if (stdin_pending.len == 0) {
        ssize_t n = write(stdin_fd, data, len);
        if (n < 0 && errno != EAGAIN) {
            close_stdin();
            return;
        }
        if (n > 0) {
            data += n;
            len -= n;
        }
    }
    buf_append(&stdin_pending, data, len, SIZE_MAX);
}

/* Handles bytes from a client: the first byte picks the mode, 's' and 'r' carry a short fixed argument. */
static void client_input(int i)
{
    struct client *c = &clients[i];
    char data[65536];
    ssize_t n = read(c->fd, data, c->mode ? sizeof(data) : 1);
    if (n <= 0) {
        if (n < 0 && errno == EAGAIN)
            return;
        if (c->mode == 'a') {
            if (spec.open_stdin && !c->stdin_closed)
                close_stdin(); /* docker's stdin-once: the attach client ended the input */
            c->stdin_closed = 1;
            return;
        }
        c->mode = 'x';
        return;
    }
    if (!c->mode) {
        c->mode = data[0];
        if (c->mode == 'a' && !attached_once) {
            attached_once = 1;
            buf_append(&c->out, backlog.data, backlog.len, CLIENT_BUFFER_MAX);
            free(backlog.data);
            backlog = (struct buf){0};
            client_flush(i);
        } else if (c->mode != 'a' && c->mode != 'w' && c->mode != 's' && c->mode != 'r') {
            c->mode = 'x';
        }
        return;
    }
    if (c->mode == 'a') {
        if (spec.open_stdin || spec.tty)
            forward_stdin(data, n);
        return;
    }
    for (ssize_t k = 0; k < n && c->cmdlen < (int)sizeof(c->cmd); k++)
        c->cmd[c->cmdlen++] = data[k];
    if (c->mode == 's' && c->cmdlen >= 1) {
        if (child_status < 0)
            kill(child_pid, c->cmd[0]);
        c->mode = 'x';
    } else if (c->mode == 'r' && c->cmdlen >= 4) {
        struct winsize ws = {.ws_row = c->cmd[0] << 8 | c->cmd[1], .ws_col = c->cmd[2] << 8 | c->cmd[3]};
        if (spec.tty && stdin_fd >= 0)
            ioctl(stdin_fd, TIOCSWINSZ, &ws);
        c->mode = 'x';
    }
}

static int listen_socket(void)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if ((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/sock", spec.state_dir) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        fatal("control socket path");
    }
    unlink(addr.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 64))
        fatal("control socket");
    chmod(addr.sun_path, 0600);
    return fd;
}

static void write_atomic(const char *name, const char *text)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof(path), "%s/%s", spec.state_dir, name);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    ssize_t n = write(fd, text, strlen(text));
    fsync(fd);
    close(fd);
    if (n == (ssize_t)strlen(text))
        rename(tmp, path);
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The cgroup's OOM-kill counter ("oom_kill N" in memory.oom_control on v1, memory.events on v2). */
static int oom_killed(void)
{
    if (!spec.oom_file)
        return 0;
    FILE *f = fopen(spec.oom_file, "re");
    char line[256];
    long long count = 0;
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "oom_kill %lld", &count) == 1)
            break;
    if (f)
        fclose(f);
    return count > 0;
}

static void record_exit(void)
{
    char text[256];
    int code = WIFEXITED(child_status) ? WEXITSTATUS(child_status) : 128 + WTERMSIG(child_status);
    int sig = WIFSIGNALED(child_status) ? WTERMSIG(child_status) : 0;
    snprintf(text, sizeof(text), "exit_code=%d\nsignal=%d\noom_killed=%d\nfinished_ns=%lld\n", code, sig,
             oom_killed(), now_ns());
    write_atomic("exit", text);
}

/* Reads the whole BPF program the engine exported with libseccomp, before the rootfs hides it. */
static struct sock_fprog *load_filter(void)
{
    static struct sock_fprog prog;
    if (!spec.seccomp)
        return NULL;
    int fd = open(spec.seccomp, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st))
        fatal("open seccomp filter");
    if (st.st_size == 0 || st.st_size % sizeof(struct sock_filter) || st.st_size > 65536 * 8) {
        errno = EINVAL;
        fatal("seccomp filter size");
    }
    prog.len = st.st_size / sizeof(struct sock_filter);
    prog.filter = malloc(st.st_size);
    if (read(fd, prog.filter, st.st_size) != st.st_size)
        fatal("read seccomp filter");
    close(fd);
    return &prog;
}

struct stdio_fds {
    int in[2], out[2], err[2];
    int pty[2]; /* tty: socketpair over which the container sends its pty master */
};

static void open_stdio(struct stdio_fds *s)
{
    s->in[0] = s->in[1] = s->err[0] = s->err[1] = s->out[0] = s->out[1] = s->pty[0] = s->pty[1] = -1;
    if (spec.tty) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->pty))
            fatal("pty socketpair");
        return;
    }
    if (pipe2(s->out, O_CLOEXEC) || pipe2(s->err, O_CLOEXEC))
        fatal("stdio pipes");
    if (spec.open_stdin && pipe2(s->in, O_CLOEXEC))
        fatal("stdin pipe");
}

/* In the new process: a new session; pipes as stdio (a tty is set up later, inside the container). */
static void child_stdio(struct stdio_fds *s)
{
    if (setsid() < 0)
        fatal("setsid");
    if (spec.tty)
        return;
    int in = s->in[0] >= 0 ? s->in[0] : open("/dev/null", O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0 || dup2(s->out[1], 1) < 0 || dup2(s->err[1], 2) < 0)
        fatal("wire stdio");
}

/* The pty master the container sent (it was sent before exec, so it is waiting in the socket). */
static int receive_pty(int sock)
{
    char data;
    struct iovec iov = {.iov_base = &data, .iov_len = 1};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                         .msg_controllen = sizeof(control.buf)};
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
        fatal("receive the pty");
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS) {
        errno = EPROTO;
        fatal("receive the pty");
    }
    int fd;
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
    return fd;
}

static void open_namespaces(int *nsfds)
{
    char path[64];
    for (int i = 0; i < NS_COUNT; i++) {
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", spec.target_pid, ns_names[i]);
        nsfds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (nsfds[i] < 0)
            fatal("open container namespace");
    }
    /* joining the pid namespace only moves our future children into it */
    if (setns(nsfds[3], CLONE_NEWPID))
        fatal("join pid namespace");
}

static pid_t spawn(int exec_mode, struct stdio_fds *s, struct sock_fprog *filter, int errpipe[2])
{
    int nsfds[NS_COUNT];
    int flags = SIGCHLD;
    if (exec_mode)
        open_namespaces(nsfds);
    else
        flags |= CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | (spec.net == NET_NEW ? CLONE_NEWNET : 0);
    pid_t pid = syscall(SYS_clone, flags, 0, 0, 0, 0);
    if (pid < 0)
        fatal("clone");
    if (pid == 0) {
        report_fd = errpipe[1];
        signal(SIGPIPE, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        child_stdio(s);
        if (s->pty[0] >= 0)
            close(s->pty[0]);
        container_init(&spec, filter, errpipe[1], exec_mode, nsfds, s->pty[1]);
    }
    if (exec_mode)
        for (int i = 0; i < NS_COUNT; i++)
            close(nsfds[i]);
    return pid;
}

/* Output from the container: logged line by line, and sent to attach clients as read. */
static int pump(int fd, int stream)
{
    char data[65536];
    ssize_t n = read(fd, data, sizeof(data));
    if (n <= 0)
        return n < 0 && (errno == EAGAIN || errno == EINTR) ? 0 : -1; /* EIO: pty slave closed */
    log_output(&log_file, stream, data, n, now_ns());
    broadcast(stream, data, n);
    return 0;
}

static void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        if (pid == child_pid)
            child_status = status;
}

static void monitor_loop(int sock, int sigfd, int outfd, int errfd, int exec_mode)
{
    long long drain_deadline = 0;
    for (;;) {
        struct pollfd p[4 + MAX_CLIENTS];
        int np = 0;
        p[np++] = (struct pollfd){.fd = sock, .events = POLLIN};
        p[np++] = (struct pollfd){.fd = sigfd, .events = POLLIN};
        p[np++] = (struct pollfd){.fd = outfd, .events = POLLIN};
        p[np++] = (struct pollfd){.fd = errfd, .events = POLLIN};
        for (int i = 0; i < nclients; i++) {
            struct client *c = &clients[i];
            short ev = c->out.len ? POLLOUT : 0;
            if (!(c->mode == 'a' && c->stdin_closed) && stdin_pending.len == 0)
                ev |= POLLIN;
            p[np++] = (struct pollfd){.fd = c->fd, .events = ev};
        }
        int timeout = -1;
        if (child_status >= 0) {
            /* the process ended: in exec mode a background child may hold the pipes, so drain briefly */
            if (outfd < 0 && errfd < 0)
                break;
            long long left = (drain_deadline - now_ns()) / 1000000;
            if (exec_mode && left <= 0)
                break;
            timeout = exec_mode ? (int)left : -1;
        }
        if (stdin_pending.len && stdin_fd >= 0)
            timeout = timeout < 0 || timeout > 10 ? 10 : timeout;
        int ready = poll(p, np, timeout);
        if (ready < 0 && errno != EINTR)
            fatal("poll");
        if (stdin_pending.len && stdin_fd >= 0) {
            ssize_t n = write(stdin_fd, stdin_pending.data, stdin_pending.len);
            if (n > 0)
                buf_consume(&stdin_pending, n);
            else if (n < 0 && errno != EAGAIN)
                close_stdin(), stdin_pending.len = 0;
        }
        if (p[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sigfd, &si, sizeof(si)) == sizeof(si))
                ;
            reap();
            if (child_status >= 0 && !drain_deadline)
                drain_deadline = now_ns() + 200 * 1000000LL;
        }
        if (outfd >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR)) && pump(outfd, 1)) {
            if (outfd == stdin_fd)
                stdin_fd = -1; /* the pty master is both */
            close(outfd);
            outfd = -1;
        }
        if (errfd >= 0 && (p[3].revents & (POLLIN | POLLHUP | POLLERR)) && pump(errfd, 2)) {
            close(errfd);
            errfd = -1;
        }
        for (int i = nclients - 1; i >= 0; i--) {
            short re = p[4 + i].revents;
            if (re & POLLIN)
                client_input(i);
            else if (re & (POLLHUP | POLLERR))
                clients[i].mode = 'x';
            if (re & POLLOUT)
                client_flush(i);
            if (clients[i].mode == 'x')
                drop_client(i);
        }
        if (p[0].revents & POLLIN) {
            int fd;
            while ((fd = accept4(sock, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
                if (nclients == MAX_CLIENTS) {
                    close(fd);
                    continue;
                }
                clients[nclients++] = (struct client){.fd = fd};
            }
        }
        log_flush(&log_file);
    }
}

/* After the process ended: log flushed, exit recorded, then attach clients get their last bytes. */
static void finish(void)
{
    log_close(&log_file);
    record_exit();
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/sock", spec.state_dir) < sizeof(path))
        unlink(path); /* from now on a client's connect fails: the process has ended */
    long long deadline = now_ns() + 2000 * 1000000LL;
    for (int i = 0; i < nclients; i++) {
        if (clients[i].mode == 'a') {
            int fl = fcntl(clients[i].fd, F_GETFL);
            fcntl(clients[i].fd, F_SETFL, fl & ~O_NONBLOCK);
            struct timeval tv = {2, 0};
            setsockopt(clients[i].fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
            while (clients[i].out.len && now_ns() < deadline) {
                ssize_t n = send(clients[i].fd, clients[i].out.data, clients[i].out.len, MSG_NOSIGNAL);
                if (n <= 0)
                    break;
                buf_consume(&clients[i].out, n);
            }
        }
        close(clients[i].fd);
    }
    exit(0);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    size_t n;
    while ((n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap)
            text = realloc(text, cap *= 2);
    }
    fclose(f);
    text[len] = '\0';
    return text;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "run") && strcmp(argv[1], "exec"))) {
        fprintf(stderr, "usage: slipway-monitor run|exec <spec-file>\n");
        return 2;
    }
    int exec_mode = !strcmp(argv[1], "exec");
    char *text = read_file(argv[2]);
    char err[1024];
    if (!text) {
        fprintf(stderr, "cannot read spec %s: %s\n", argv[2], strerror(errno));
        return 2;
    }
    if (spec_parse(text, exec_mode, &spec, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }

    int report[2];
    if (pipe2(report, O_CLOEXEC)) {
        perror("pipe");
        return 1;
    }
    pid_t monitor = fork();
    if (monitor < 0) {
        perror("fork");
        return 1;
    }
    if (monitor > 0) {
        /* launcher: relay the monitor's verdict */
        close(report[1]);
        char msg[1024];
        ssize_t n, len = 0;
        while ((n = read(report[0], msg + len, sizeof(msg) - 1 - len)) > 0)
            len += n;
        msg[len] = '\0';
        if (!strncmp(msg, "ok ", 3)) {
            printf("%s\n", msg);
            return 0;
        }
        fprintf(stderr, "%s\n", len ? msg : "monitor died before reporting");
        return 1;
    }

    /* monitor */
    close(report[0]);
    report_fd = report[1];
    if (setsid() < 0)
        fatal("setsid");
    if (chdir("/"))
        fatal("chdir /");
    int devnull = open("/dev/null", O_RDWR);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
        fatal("redirect stdio");
    if (devnull > 2)
        close(devnull);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1))
        fatal("subreaper");
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sigfd < 0)
        fatal("signalfd");

    struct sock_fprog *filter = load_filter();
    struct stdio_fds s;
    open_stdio(&s);
    if (log_open(&log_file, spec.state_dir, spec.log_max_bytes, spec.log_max_files))
        fatal("open log");
    int sock = listen_socket();
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC))
        fatal("pipe");

    long long started = now_ns();
    child_pid = spawn(exec_mode, &s, filter, errpipe);
    close(errpipe[1]);
    char msg[1024];
    ssize_t n, len = 0;
    while ((n = read(errpipe[0], msg + len, sizeof(msg) - 1 - len)) > 0)
        len += n;
    close(errpipe[0]);
    if (len > 0) {
        /* exec never happened: nothing of the container may remain */
        waitpid(child_pid, NULL, 0);
        char path[4096];
        snprintf(path, sizeof(path), "%s/sock", spec.state_dir);
        unlink(path);
        if (write(report_fd, msg, len) < 0)
            _exit(1);
        _exit(1);
    }

    int outfd, errfd = -1;
    if (spec.tty) {
        close(s.pty[1]);
        outfd = stdin_fd = receive_pty(s.pty[0]);
        close(s.pty[0]);
    } else {
        close(s.out[1]);
        close(s.err[1]);
        outfd = s.out[0];
        errfd = s.err[0];
        if (s.in[0] >= 0) {
            close(s.in[0]);
            stdin_fd = s.in[1];
        }
    }
    fcntl(outfd, F_SETFL, O_NONBLOCK);
    if (errfd >= 0)
        fcntl(errfd, F_SETFL, O_NONBLOCK);
    if (stdin_fd >= 0 && !spec.tty)
        fcntl(stdin_fd, F_SETFL, O_NONBLOCK);

    char state[256];
    snprintf(state, sizeof(state), "pid=%d\nmonitor_pid=%d\nstarted_ns=%lld\n", child_pid, getpid(), started);
    write_atomic("state", state);
    snprintf(msg, sizeof(msg), "ok %d %d", child_pid, getpid());
    if (write(report_fd, msg, strlen(msg)) < 0) {
        /* the launcher is gone; the engine will adopt us from the state file */
    }
    close(report_fd);
    report_fd = -1;

    monitor_loop(sock, sigfd, outfd, errfd, exec_mode);
    finish();
    return 0;
}
