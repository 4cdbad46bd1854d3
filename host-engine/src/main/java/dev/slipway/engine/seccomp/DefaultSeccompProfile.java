package dev.slipway.engine.seccomp;

import java.util.ArrayList;
import java.util.List;

/**
 * The syscalls Docker's default profile does not allow to a container without extra capabilities, written as a
 * deny list: everything else is allowed, these return EPERM (clone3 returns ENOSYS, as in Docker, so the C
 * library falls back to clone, whose flags a filter can inspect). Syscalls of other architectures (i386, x32)
 * kill the process, so the list cannot be bypassed through a compat entry point.
 *
 * Like Docker, ptrace is allowed (Linux 4.8+ applies seccomp after a tracer's changes); a container still
 * cannot trace host processes: they are outside its pid namespace and it has no CAP_SYS_PTRACE.
 */
public final class DefaultSeccompProfile {
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    /** Namespace flags of clone(2); CLONE_NEWTIME only exists for clone3 and unshare. */
    static final long[] CLONE_NAMESPACE_FLAGS = {
        0x00020000L, // CLONE_NEWNS
        0x02000000L, // CLONE_NEWCGROUP
        0x04000000L, // CLONE_NEWUTS
        0x08000000L, // CLONE_NEWIPC
        0x10000000L, // CLONE_NEWUSER
        0x20000000L, // CLONE_NEWPID
        0x40000000L, // CLONE_NEWNET
    };

    private static final List<String> DENIED = List.of(
            // filesystems and mounts
            "mount", "umount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount",
            "open_tree", "mount_setattr", "quotactl", "quotactl_fd", "open_by_handle_at", "name_to_handle_at",
            "sysfs", "ustat", "nfsservctl", "uselib",
            // kernel modules and kexec
            "init_module", "finit_module", "delete_module", "create_module", "query_module", "get_kernel_syms",
            "kexec_load", "kexec_file_load",
            // machine state
            "reboot", "swapon", "swapoff", "acct", "syslog", "_sysctl", "vhangup", "lookup_dcookie",
            // clocks
            "settimeofday", "stime", "clock_settime", "clock_adjtime",
            // keyring (not namespaced)
            "keyctl", "add_key", "request_key",
            // namespaces
            "unshare", "setns",
            // kernel attack surface Docker keeps closed
            "bpf", "perf_event_open", "userfaultfd", "kcmp", "process_vm_readv", "process_vm_writev",
            "iopl", "ioperm", "vm86", "vm86old", "get_mempolicy", "set_mempolicy", "mbind", "move_pages",
            "io_uring_setup", "io_uring_enter", "io_uring_register");

    private DefaultSeccompProfile() {
    }

    public static List<SyscallRule> rules() {
        List<SyscallRule> rules = new ArrayList<>();
        for (String name : DENIED) {
            rules.add(SyscallRule.deny(name, EPERM));
        }
        rules.add(SyscallRule.deny("clone3", ENOSYS));
        for (long flag : CLONE_NAMESPACE_FLAGS) {
            rules.add(SyscallRule.denyWithFlag("clone", EPERM, 0, flag));
        }
        return rules;
    }
}
