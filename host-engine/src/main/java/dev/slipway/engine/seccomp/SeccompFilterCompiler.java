package dev.slipway.engine.seccomp;

import dev.slipway.engine.libc.Errno;
import dev.slipway.engine.libc.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Compiles syscall rules into a classic BPF program with libseccomp, for the C launcher to load with
 * prctl(PR_SET_SECCOMP) just before exec. The program is compiled once per engine and copied into each
 * container's state dir.
 */
public final class SeccompFilterCompiler {
    private SeccompFilterCompiler() {
    }

    private static final Logger LOG = Logger.getLogger(SeccompFilterCompiler.class.getName());

    /** Errno of syscalls outside an allow list: EPERM, as Docker's default profile. */
    public static final int EPERM = 1;

    /** {@link #compile(List, int)} with EPERM for everything the rules do not allow. */
    public static byte[] compile(List<SyscallRule> rules) throws IOException {
        return compile(rules, EPERM);
    }

    /**
     * The BPF program (an array of struct sock_filter) for the native architecture: syscalls no rule matches
     * fail with {@code defaultErrno}. Names this host's libseccomp does not know (newer or other-architecture
     * syscalls) are skipped, so one profile serves every kernel and libseccomp version.
     */
    public static byte[] compile(List<SyscallRule> rules, int defaultErrno) throws IOException {
        LibSeccomp seccomp = LibSeccomp.INSTANCE;
        Pointer ctx = seccomp.seccomp_init(LibSeccomp.actErrno(defaultErrno));
        if (ctx == null) {
            throw new IOException("seccomp_init failed");
        }
        try {
            check(seccomp.seccomp_attr_set(ctx, LibSeccomp.SCMP_FLTATR_ACT_BADARCH, LibSeccomp.SCMP_ACT_KILL_PROCESS),
                    "seccomp_attr_set(ACT_BADARCH)");
            Runtime runtime = Runtime.getRuntime(seccomp);
            for (SyscallRule rule : rules) {
                int nr = seccomp.seccomp_syscall_resolve_name(rule.syscall());
                if (nr < 0) {
                    LOG.fine(() -> "seccomp: skipping " + rule.syscall() + ", not a syscall of this architecture"
                            + " or unknown to this libseccomp");
                    continue;
                }
                Pointer args = null;
                int argCount = 0;
                if (rule.argIndex() >= 0) {
                    args = Memory.allocateDirect(runtime, LibSeccomp.ARG_CMP_SIZE, true);
                    args.putInt(0, rule.argIndex());
                    args.putInt(4, rule.op());
                    args.putLong(8, rule.datumA());
                    args.putLong(16, rule.datumB());
                    argCount = 1;
                }
                check(seccomp.seccomp_rule_add_array(ctx, action(rule), nr, argCount, args),
                        "seccomp_rule_add(" + rule.syscall() + ")");
            }
            Path tmp = Files.createTempFile("slipway-seccomp", ".bpf");
            try {
                int fd = (int) Errno.check(LibC.INSTANCE.open(tmp.toString(), LibC.O_WRONLY, 0), "open " + tmp);
                try {
                    check(seccomp.seccomp_export_bpf(ctx, fd), "seccomp_export_bpf");
                } finally {
                    LibC.INSTANCE.close(fd);
                }
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } finally {
            seccomp.seccomp_release(ctx);
        }
    }

    private static int action(SyscallRule rule) {
        return rule.allows() ? LibSeccomp.SCMP_ACT_ALLOW : LibSeccomp.actErrno(rule.errno());
    }

    private static void check(int result, String call) throws IOException {
        if (result < 0) {
            throw new IOException(call + " failed: " + LibC.INSTANCE.strerror(-result) + " (errno " + -result + ")");
        }
    }
}
