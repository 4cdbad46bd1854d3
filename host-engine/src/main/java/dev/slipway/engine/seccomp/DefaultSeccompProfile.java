package dev.slipway.engine.seccomp;

import java.util.ArrayList;
import java.util.List;

/**
 * An allow list equivalent to Docker's default seccomp profile for a container with Docker's default
 * capabilities: the syscalls listed here are allowed (some only with harmless arguments), everything else fails
 * with EPERM. New kernel syscalls are therefore refused until someone decides to allow them.
 *
 * The list is grouped by purpose; a group says why a container may use it. Left out on purpose (as in Docker):
 * mounts and new mount API, pivot_root, modules and kexec, reboot, swap, acct, syslog, vhangup, clock setting,
 * the keyring (not namespaced), unshare/setns and namespace flags on clone, bpf, perf_event_open, userfaultfd,
 * lookup_dcookie, iopl/ioperm, quotactl, open_by_handle_at, and the NUMA, kcmp and io_uring calls Docker only
 * grants with extra capabilities or not at all.
 *
 * Stricter than Docker: process_vm_readv/writev (Docker allows them on Linux 4.8+ together with ptrace) stay
 * refused, and name_to_handle_at, adjtimex and clock_adjtime are refused. Like Docker on Linux 4.8+ (which applies
 * seccomp after a tracer's changes), ptrace is allowed: a container can debug its own processes, but host processes
 * are outside its pid namespace and it has no CAP_SYS_PTRACE.
 */
public final class DefaultSeccompProfile {
    private static final int ENOSYS = 38;

    /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET: clone may create no namespace. */
    static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;

    /** personality(2) values Docker allows: PER_LINUX, PER_LINUX32, UNAME26 and the combination, and the query. */
    private static final long[] PERSONALITIES = {0x0L, 0x8L, 0x20000L, 0x20008L, 0xffffffffL};

    /** AF_VSOCK: a socket family that reaches the host's hypervisor side, refused as in recent Docker versions. */
    private static final long AF_VSOCK = 40;

    private static final List<List<String>> ALLOWED = List.of(
            // files and directories: the process works on its own rootfs, confined by mounts and capabilities
            List.of("open", "openat", "openat2", "creat", "close", "close_range", "read", "write", "readv", "writev",
                    "pread64", "pwrite64", "preadv", "preadv2", "pwritev", "pwritev2", "lseek", "_llseek",
                    "stat", "stat64", "fstat", "fstat64", "lstat", "lstat64", "newfstatat", "fstatat64", "statx",
                    "statfs", "statfs64", "fstatfs", "fstatfs64", "access", "faccessat", "faccessat2",
                    "truncate", "truncate64", "ftruncate", "ftruncate64", "fallocate", "fadvise64", "fadvise64_64",
                    "readahead", "fsync", "fdatasync", "sync", "syncfs", "sync_file_range", "flock", "fcntl",
                    "fcntl64", "dup", "dup2", "dup3", "getdents", "getdents64", "getcwd", "chdir", "fchdir",
                    "mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link", "linkat", "unlink",
                    "unlinkat", "symlink", "symlinkat", "readlink", "readlinkat", "mknod", "mknodat", "umask",
                    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "chown32", "fchown", "fchown32",
                    "fchownat", "lchown", "lchown32", "utime", "utimes", "utimensat", "utimensat_time64",
                    "futimesat", "copy_file_range", "sendfile", "sendfile64", "splice", "tee", "vmsplice",
                    "ioctl", "chroot", "cachestat"),
            // extended attributes (capability and ACL checks are the kernel's)
            List.of("getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr", "fsetxattr", "listxattr",
                    "llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr"),
            // file events and descriptors for waiting
            List.of("inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark",
                    "eventfd", "eventfd2", "signalfd", "signalfd4", "timerfd_create", "timerfd_settime",
                    "timerfd_settime64", "timerfd_gettime", "timerfd_gettime64", "select", "_newselect",
                    "pselect6", "pselect6_time64", "poll", "ppoll", "ppoll_time64", "epoll_create",
                    "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_wait", "epoll_wait_old", "epoll_pwait",
                    "epoll_pwait2", "pipe", "pipe2"),
            // asynchronous I/O (the old AIO interface; io_uring is refused, as in recent Docker)
            List.of("io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents", "io_pgetevents",
                    "io_pgetevents_time64", "ioprio_get", "ioprio_set"),
            // memory of the process itself
            List.of("brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise", "mincore", "msync",
                    "mlock", "mlock2", "mlockall", "munlock", "munlockall", "remap_file_pages", "memfd_create",
                    "memfd_secret", "membarrier", "pkey_alloc", "pkey_free", "pkey_mprotect", "map_shadow_stack",
                    "mseal"),
            // processes and threads (clone and personality are conditional, below)
            List.of("fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "waitpid",
                    "getpid", "getppid", "gettid", "set_tid_address", "set_robust_list", "get_robust_list",
                    "rseq", "futex", "futex_time64", "futex_waitv", "futex_wake", "futex_wait", "futex_requeue",
                    "arch_prctl", "modify_ldt", "get_thread_area", "set_thread_area", "prctl", "seccomp",
                    "capget", "capset", "ptrace", "pidfd_open", "pidfd_send_signal", "pidfd_getfd",
                    "process_mrelease", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
                    "restart_syscall"),
            // identity and sessions (what a process may change is decided by its capabilities)
            List.of("getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid", "getegid32",
                    "getresuid", "getresuid32", "getresgid", "getresgid32", "getgroups", "getgroups32",
                    "setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32", "setregid",
                    "setregid32", "setresuid", "setresuid32", "setresgid", "setresgid32", "setgroups",
                    "setgroups32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32", "setsid", "getsid",
                    "setpgid", "getpgid", "getpgrp"),
            // scheduling and limits of its own processes (the cgroup caps what they can take)
            List.of("sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getattr", "sched_setattr",
                    "sched_getparam", "sched_setparam", "sched_getscheduler", "sched_setscheduler",
                    "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval",
                    "sched_rr_get_interval_time64", "getpriority", "setpriority", "getrlimit", "setrlimit",
                    "ugetrlimit", "prlimit64", "getrusage", "times", "getcpu"),
            // signals
            List.of("kill", "tkill", "tgkill", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending",
                    "rt_sigsuspend", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "rt_sigtimedwait",
                    "rt_sigtimedwait_time64", "sigaltstack", "sigprocmask", "sigreturn", "pause"),
            // reading clocks and sleeping (setting them is refused)
            List.of("time", "gettimeofday", "clock_gettime", "clock_gettime64", "clock_getres",
                    "clock_getres_time64", "clock_nanosleep", "clock_nanosleep_time64", "nanosleep", "alarm",
                    "getitimer", "setitimer", "timer_create", "timer_delete", "timer_getoverrun",
                    "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64"),
            // system information (namespaced or harmless); hostname lives in the container's uts namespace
            List.of("uname", "sysinfo", "getrandom", "sethostname", "setdomainname"),
            // networking (socket is conditional, below); the network namespace bounds what it reaches
            List.of("socketpair", "bind", "listen", "accept", "accept4", "connect", "getsockname", "getpeername",
                    "getsockopt", "setsockopt", "shutdown", "send", "sendto", "sendmsg", "sendmmsg", "recv",
                    "recvfrom", "recvmsg", "recvmmsg", "recvmmsg_time64", "socketcall"),
            // System V and POSIX IPC, private to the container's ipc namespace
            List.of("ipc", "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop",
                    "semtimedop_time64", "semctl", "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink",
                    "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive", "mq_timedreceive_time64",
                    "mq_notify", "mq_getsetattr"));

    private DefaultSeccompProfile() {
    }

    public static List<SyscallRule> rules() {
        List<SyscallRule> rules = new ArrayList<>();
        for (List<String> group : ALLOWED) {
            for (String name : group) {
                rules.add(SyscallRule.allow(name));
            }
        }
        // clone only without namespace flags; clone3 passes its flags in memory a filter cannot read, so it
        // returns ENOSYS, as in Docker, and the C library falls back to clone
        rules.add(SyscallRule.allowWithoutFlags("clone", 0, CLONE_NAMESPACE_FLAGS));
        rules.add(SyscallRule.deny("clone3", ENOSYS));
        for (long persona : PERSONALITIES) {
            rules.add(SyscallRule.allowIfEqual("personality", 0, persona));
        }
        rules.add(SyscallRule.allowUnlessEqual("socket", 0, AF_VSOCK));
        return List.copyOf(rules);
    }
}
