package dev.slipway.engine.libc;

import java.io.IOException;

/** Turns a failed libc call into an exception that names the call and the kernel's reason. */
public final class Errno {
    private Errno() {
    }

    /** Returns {@code result} when it is not negative; otherwise throws with errno's text. */
    public static long check(long result, String call) throws IOException {
        if (result < 0) {
            int errno = LibC.errno();
            throw new ErrnoException(call, errno, LibC.INSTANCE.strerror(errno));
        }
        return result;
    }

    /** An IOException that keeps the errno, so callers can tell EBUSY from ENOENT. */
    public static final class ErrnoException extends IOException {
        private final int errno;

        public ErrnoException(String call, int errno, String reason) {
            super(call + ": " + reason + " (errno " + errno + ")");
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
