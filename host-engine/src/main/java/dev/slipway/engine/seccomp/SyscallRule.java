package dev.slipway.engine.seccomp;

/**
 * One entry of a seccomp profile: what the filter does with a syscall. {@code errno < 0} means allow; otherwise
 * the call fails with that errno. With {@code argIndex >= 0} the rule applies only when the argument passes the
 * comparison ({@code op} is a libseccomp {@code enum scmp_compare}, e.g. masked-equal for "no namespace flag").
 */
public record SyscallRule(String syscall, int errno, int argIndex, int op, long datumA, long datumB) {
    static final int ALLOW = -1;

    public static SyscallRule allow(String syscall) {
        return new SyscallRule(syscall, ALLOW, -1, 0, 0, 0);
    }

    /** Allowed when {@code (arg[argIndex] & mask) == 0}. */
    public static SyscallRule allowWithoutFlags(String syscall, int argIndex, long mask) {
        return new SyscallRule(syscall, ALLOW, argIndex, LibSeccomp.SCMP_CMP_MASKED_EQ, mask, 0);
    }

    /** Allowed when {@code arg[argIndex] == value}. */
    public static SyscallRule allowIfEqual(String syscall, int argIndex, long value) {
        return new SyscallRule(syscall, ALLOW, argIndex, LibSeccomp.SCMP_CMP_EQ, value, 0);
    }

    /** Allowed when {@code arg[argIndex] != value}. */
    public static SyscallRule allowUnlessEqual(String syscall, int argIndex, long value) {
        return new SyscallRule(syscall, ALLOW, argIndex, LibSeccomp.SCMP_CMP_NE, value, 0);
    }

    public static SyscallRule deny(String syscall, int errno) {
        return new SyscallRule(syscall, errno, -1, 0, 0, 0);
    }

    public boolean allows() {
        return errno < 0;
    }
}
