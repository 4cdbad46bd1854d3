package dev.slipway.api.registry.storage;

import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 state of uploads as they are appended in this process, so that commit need not read the bytes back.
 * It is only a cache: when the next append of an upload lands on another replica (or after a restart) the entry no
 * longer matches the upload's size, and commit hashes the stored bytes instead. Correctness never depends on it.
 */
final class RunningDigests {

    private record State(MessageDigest md, long offset) {
    }

    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

    /** The digest to feed an append starting at {@code offset}, or null if this process has no matching state. */
    MessageDigest forAppend(String uploadId, long offset) {
        if (offset == 0) {
            return Digest.Algorithm.SHA256.newMessageDigest();
        }
        State s = states.remove(uploadId);
        return s != null && s.offset == offset ? s.md : null;
    }

    void appended(String uploadId, MessageDigest md, long newOffset) {
        if (md != null) {
            states.put(uploadId, new State(md, newOffset));
        }
    }

    /** The finished digest if this process saw every byte of an upload of {@code size} bytes, else null. */
    Digest finish(String uploadId, Digest.Algorithm algorithm, long size) {
        State s = states.remove(uploadId);
        if (s == null || s.offset != size || algorithm != Digest.Algorithm.SHA256) {
            return null;
        }
        return Digest.finish(algorithm, s.md);
    }

    void forget(String uploadId) {
        states.remove(uploadId);
    }
}
