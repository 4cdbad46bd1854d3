package dev.slipway.engine.seccomp;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;

/**
 * The part of libseccomp (2.5+) Slipway uses to build filters. Calls return a negative errno on failure
 * (libseccomp does not use errno). Loaded from libseccomp.so.2, which every distribution ships with the
 * runtime package, so the -dev package is not needed on hosts.
 */
public interface LibSeccomp {

    LibSeccomp INSTANCE = LibraryLoader.create(LibSeccomp.class).search("/usr/lib/x86_64-linux-gnu")
            .search("/usr/lib/aarch64-linux-gnu").search("/usr/lib64").search("/usr/lib")
            .load("libseccomp.so.2");

    int SCMP_ACT_ALLOW = 0x7fff0000;
    int SCMP_ACT_KILL_PROCESS = 0x80000000;

    /** SCMP_ACT_ERRNO(errno). */
    static int actErrno(int errno) {
        return 0x00050000 | (errno & 0xffff);
    }

    /** enum scmp_compare */
    int SCMP_CMP_NE = 1;
    int SCMP_CMP_EQ = 4;
    int SCMP_CMP_MASKED_EQ = 7;

    /** enum scmp_filter_attr: action for syscalls of an architecture not in the filter. */
    int SCMP_FLTATR_ACT_BADARCH = 2;

    /** Size of struct scmp_arg_cmp: unsigned int arg, enum op, uint64 datum_a, uint64 datum_b. */
    int ARG_CMP_SIZE = 24;

    Pointer seccomp_init(int defAction);

    void seccomp_release(Pointer ctx);

    int seccomp_attr_set(Pointer ctx, int attr, int value);

    int seccomp_syscall_resolve_name(String name);

    int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCnt, @In Pointer argArray);

    int seccomp_export_bpf(Pointer ctx, int fd);
}
