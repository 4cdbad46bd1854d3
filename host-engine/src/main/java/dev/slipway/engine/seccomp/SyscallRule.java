package dev.slipway.engine.seccomp;

/**
 * A syscall the filter refuses, with the errno it returns. With {@code argMask} set, the refusal applies only
 * when {@code (arg[argIndex] & argMask) == argMask}, e.g. clone with a namespace flag.
 */
public record SyscallRule(String syscall, int errno, int argIndex, long argMask) {

    public static SyscallRule deny(String syscall, int errno) {
        return new SyscallRule(syscall, errno, -1, 0);
    }

    public static SyscallRule denyWithFlag(String syscall, int errno, int argIndex, long flag) {
        return new SyscallRule(syscall, errno, argIndex, flag);
    }
}
