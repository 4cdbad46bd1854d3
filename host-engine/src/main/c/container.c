/*
 * The container's first process, between clone and exec: cgroup, namespaces, rootfs, identity,
 * capabilities, no_new_privs, seccomp, exec. Each step that fails reports "step: reason" on errfd
 * (a close-on-exec pipe the monitor reads: EOF there means exec succeeded) and exits 127.
 *
 * Order matters:
 *  - the cgroup is joined first, before anything the container controls runs, so no process escapes limits;
 *  - the cgroup namespace is unshared after joining, so the container sees its own cgroup as the root;
 *  - mounts are made private before anything is mounted, so nothing propagates back to the host;
 *  - capabilities are dropped after the mounts, pivot_root and sethostname that need them;
 *  - seccomp comes last, after no_new_privs, so the filter need not allow the setup syscalls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <net/if.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "slipway-monitor.h"

const char *const ns_names[NS_COUNT] = {"ipc", "uts", "net", "pid", "cgroup", "mnt"};
const int ns_flags[NS_COUNT] = {CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWCGROUP,
                                CLONE_NEWNS};

static int errfd = -1;

static void die(const char *fmt, ...)
{
    char msg[1024];
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(msg))
        n = sizeof(msg) - 1;
    if (saved)
        n += snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(saved));
    if (write(errfd, msg, n) < 0)
        _exit(126);
    _exit(127);
}

/* out = a + b, refusing paths that do not fit */
static void join(char *out, size_t len, const char *a, const char *b)
{
    if ((size_t)snprintf(out, len, "%s%s", a, b) >= len) {
        errno = ENAMETOOLONG;
        die("path %s%s", a, b);
    }
}

static void write_file(const char *path, const char *value)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        die("open %s", path);
    if (write(fd, value, strlen(value)) < 0)
        die("write %s", path);
    close(fd);
}

static void do_mount(const char *src, const char *dst, const char *type, unsigned long flags, const char *data)
{
    if (mount(src, dst, type, flags, data))
        die("mount %s on %s", type ? type : src, dst);
}

/* A mount point at the top of the rootfs: must be a real directory, never a symlink out of the rootfs. */
static void top_dir(const char *rootfs, const char *name, char *out, size_t outlen)
{
    struct stat st;
    char rel[64];
    snprintf(rel, sizeof(rel), "/%s", name);
    join(out, outlen, rootfs, rel);
    if (lstat(out, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            errno = 0;
            die("rootfs /%s is not a directory (symlinks are refused)", name);
        }
    } else if (errno != ENOENT || mkdir(out, 0755)) {
        die("mkdir %s", out);
    }
}

static void setup_dev(const char *dev)
{
    static const struct { const char *name; int major, minor; } nodes[] = {
        {"/null", 1, 3}, {"/zero", 1, 5}, {"/full", 1, 7}, {"/random", 1, 8}, {"/urandom", 1, 9}, {"/tty", 5, 0},
    };
    static const struct { const char *name, *target; } links[] = {
        {"/fd", "/proc/self/fd"}, {"/stdin", "/proc/self/fd/0"}, {"/stdout", "/proc/self/fd/1"},
        {"/stderr", "/proc/self/fd/2"}, {"/ptmx", "pts/ptmx"},
    };
    char path[4096];
    do_mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
    for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
        join(path, sizeof(path), dev, nodes[i].name);
        if (mknod(path, S_IFCHR | 0666, makedev(nodes[i].major, nodes[i].minor)))
            die("mknod %s", path);
    }
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        join(path, sizeof(path), dev, links[i].name);
        if (symlink(links[i].target, path))
            die("symlink %s", path);
    }
    join(path, sizeof(path), dev, "/pts");
    if (mkdir(path, 0755))
        die("mkdir %s", path);
    do_mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
    join(path, sizeof(path), dev, "/shm");
    if (mkdir(path, 01777))
        die("mkdir %s", path);
    do_mount("shm", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
    join(path, sizeof(path), dev, "/mqueue");
    if (mkdir(path, 0755))
        die("mkdir %s", path);
    do_mount("mqueue", path, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* Docker's masked paths: directories get an empty read-only tmpfs, files get /dev/null. */
static void mask_paths(const char *rootfs, const struct strlist *paths)
{
    char path[4096];
    struct stat st;
    for (int i = 0; i < paths->n; i++) {
        join(path, sizeof(path), rootfs, paths->v[i]);
        if (lstat(path, &st))
            continue; /* not on this kernel */
        if (S_ISDIR(st.st_mode))
            do_mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0");
        else
            do_mount("/dev/null", path, NULL, MS_BIND, NULL);
    }
}

static void readonly_paths(const char *rootfs, const struct strlist *paths)
{
    char path[4096];
    for (int i = 0; i < paths->n; i++) {
        join(path, sizeof(path), rootfs, paths->v[i]);
        if (access(path, F_OK))
            continue;
        do_mount(path, path, NULL, MS_BIND | MS_REC, NULL);
        do_mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL);
    }
}

static void setup_rootfs(const struct spec *spec)
{
    char path[4096];
    do_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    do_mount(spec->rootfs, spec->rootfs, NULL, MS_BIND | MS_REC, NULL);

    top_dir(spec->rootfs, "proc", path, sizeof(path));
    do_mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    top_dir(spec->rootfs, "dev", path, sizeof(path));
    setup_dev(path);
    top_dir(spec->rootfs, "sys", path, sizeof(path));
    do_mount("sysfs", path, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mask_paths(spec->rootfs, &spec->masked);
    readonly_paths(spec->rootfs, &spec->readonly);

    /* pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves only the rootfs. */
    if (chdir(spec->rootfs))
        die("chdir %s", spec->rootfs);
    if (syscall(SYS_pivot_root, ".", "."))
        die("pivot_root");
    if (umount2(".", MNT_DETACH))
        die("umount old root");
    if (chdir("/"))
        die("chdir /");
}

/* Finds a line of /etc/passwd or /etc/group whose name (field 0) or id (field 2) matches. */
static int find_entry(const char *file, const char *key, char *line, size_t linelen, char **fields, int nfields)
{
    FILE *f = fopen(file, "re");
    if (!f)
        return -1;
    while (fgets(line, linelen, f)) {
        line[strcspn(line, "\n")] = '\0';
        int n = 0;
        char *p = line;
        for (; n < nfields; n++) {
            fields[n] = strsep(&p, ":");
            if (!fields[n])
                break;
        }
        if (n >= 3 && (!strcmp(fields[0], key) || !strcmp(fields[2], key))) {
            fclose(f);
            return n;
        }
    }
    fclose(f);
    return -1;
}

static int numeric(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* Resolves "user[:group]" inside the container and switches to it with its supplementary groups. */
static void switch_user(const char *spec_user, struct strlist *env)
{
    char buf[4096], line[4096], *fields[7];
    snprintf(buf, sizeof(buf), "%s", spec_user);
    char *group = strchr(buf, ':');
    if (group)
        *group++ = '\0';
    const char *user = buf[0] ? buf : "0";
    uid_t uid;
    gid_t gid = 0;
    const char *name = NULL, *home = "/";
    static char namebuf[256], homebuf[1024];
    if (find_entry("/etc/passwd", user, line, sizeof(line), fields, 7) >= 4) {
        uid = strtoul(fields[2], NULL, 10);
        gid = strtoul(fields[3], NULL, 10);
        name = strncpy(namebuf, fields[0], sizeof(namebuf) - 1);
        if (fields[5] && fields[5][0])
            home = strncpy(homebuf, fields[5], sizeof(homebuf) - 1);
    } else if (numeric(user)) {
        uid = strtoul(user, NULL, 10);
    } else {
        errno = 0;
        die("unable to find user %s: no matching entries in passwd file", user);
    }
    if (group) {
        if (find_entry("/etc/group", group, line, sizeof(line), fields, 4) >= 3)
            gid = strtoul(fields[2], NULL, 10);
        else if (numeric(group))
            gid = strtoul(group, NULL, 10);
        else {
            errno = 0;
            die("unable to find group %s: no matching entries in group file", group);
        }
    }
    /* supplementary groups: every group that lists the user as a member */
    gid_t groups[64];
    int ngroups = 0;
    groups[ngroups++] = gid;
    FILE *f = name ? fopen("/etc/group", "re") : NULL;
    while (f && ngroups < 64 && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *p = line;
        for (int i = 0; i < 4; i++)
            fields[i] = strsep(&p, ":");
        if (!fields[3])
            continue;
        for (char *m = fields[3], *tok; (tok = strsep(&m, ","));)
            if (!strcmp(tok, name))
                groups[ngroups++] = strtoul(fields[2], NULL, 10);
    }
    if (f)
        fclose(f);
    if (setgroups(ngroups, groups))
        die("setgroups");
    if (setresgid(gid, gid, gid))
        die("setgid %u", gid);
    if (setresuid(uid, uid, uid))
        die("setuid %u", uid);
    int has_home = 0;
    for (int i = 0; i < env->n; i++)
        has_home |= !strncmp(env->v[i], "HOME=", 5);
    if (!has_home) {
        static char homeenv[1100];
        snprintf(homeenv, sizeof(homeenv), "HOME=%s", home);
        env->v = realloc(env->v, sizeof(char *) * (env->n + 2));
        env->v[env->n++] = homeenv;
        env->v[env->n] = NULL;
    }
}

/* A new network namespace starts with lo down; Docker's "none" network has it up. */
static void loopback_up(void)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
        die("read lo flags");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr))
        die("bring lo up");
    close(fd);
}

/*
 * The terminal comes from the container's own devpts (so ttyname, `tty` and job control work inside, and no
 * host pty is visible): open /dev/ptmx there, make the slave our controlling terminal and stdio, and hand the
 * master to the monitor.
 */
static void setup_tty(int sock)
{
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    char name[64];
    if (master < 0 || unlockpt(master) || ptsname_r(master, name, sizeof(name)))
        die("allocate a pty in the container");
    int slave = open(name, O_RDWR | O_CLOEXEC);
    if (slave < 0 || ioctl(slave, TIOCSCTTY, 0))
        die("open %s", name);
    if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
        die("pty as stdio");
    char data = 'p';
    struct iovec iov = {.iov_base = &data, .iov_len = 1};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                         .msg_controllen = sizeof(control.buf)};
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
    if (sendmsg(sock, &msg, 0) != 1)
        die("send the pty to the monitor");
    close(master);
    close(slave);
    close(sock);
}

static void drop_capabilities(unsigned long long keep)
{
    for (int cap = 0; cap < 64; cap++)
        if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
            die("drop capability %d from the bounding set", cap);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
        die("clear ambient capabilities");
}

/* After setuid: root keeps the allowed set as effective and permitted; other users end with none. */
static void set_capabilities(unsigned long long keep)
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof(data));
    if (getuid() == 0) {
        data[0].effective = data[0].permitted = (unsigned)keep;
        data[1].effective = data[1].permitted = (unsigned)(keep >> 32);
    }
    if (syscall(SYS_capset, &hdr, data))
        die("capset");
}

static void exec_command(const struct spec *spec, struct strlist *env)
{
    extern char **environ;
    environ = env->v;
    if (!getenv("PATH"))
        putenv("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    execvp(spec->args.v[0], spec->args.v);
    die("exec %s", spec->args.v[0]);
}

void container_init(const struct spec *spec, struct sock_fprog *filter, int fd, int exec_mode, const int *nsfds,
                    int ptysock)
{
    errfd = fd;
    struct strlist env = spec->env;
    umask(022);
    /* Until exec we hold the monitor's descriptors (close-on-exec, but open): not dumpable means processes of
     * the container cannot open them through /proc/<pid>/fd once our capabilities equal theirs. exec resets it. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
        die("prctl(PR_SET_DUMPABLE)");

    for (int i = 0; i < spec->cgroups.n; i++)
        write_file(spec->cgroups.v[i], "0");

    if (exec_mode) {
        /* pid was joined by the monitor before forking us (setns(pid) only affects children) */
        for (int i = 0; i < NS_COUNT; i++)
            if (ns_flags[i] != CLONE_NEWPID && setns(nsfds[i], ns_flags[i]))
                die("setns %s", ns_names[i]);
    } else {
        if (unshare(CLONE_NEWCGROUP))
            die("unshare cgroup namespace");
        if (spec->net == NET_JOIN) {
            int nfd = open(spec->netns, O_RDONLY | O_CLOEXEC);
            if (nfd < 0 || setns(nfd, CLONE_NEWNET))
                die("join network namespace %s", spec->netns);
            close(nfd);
        }
        if (spec->net == NET_NEW)
            loopback_up();
        setup_rootfs(spec);
        if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)))
            die("sethostname");
    }
    if (ptysock >= 0)
        setup_tty(ptysock);

    if (chdir(spec->cwd)) {
        /* Docker creates a missing working directory */
        char path[4096];
        snprintf(path, sizeof(path), "%s", spec->cwd);
        for (char *p = path + 1; *p; p++)
            if (*p == '/') {
                *p = '\0';
                mkdir(path, 0755);
                *p = '/';
            }
        mkdir(path, 0755);
        if (chdir(spec->cwd))
            die("chdir to working directory %s", spec->cwd);
    }
    drop_capabilities(spec->caps);
    switch_user(spec->user, &env);
    set_capabilities(spec->caps);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
        die("no_new_privs");
    if (filter && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, filter))
        die("load seccomp filter");
    exec_command(spec, &env);
}
