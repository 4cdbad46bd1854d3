package dev.slipway.api.registry.storage;

/** A blob store operation refused: the reason is a stable {@link Reason}, mapped to the spec's error codes above. */
public class BlobStoreException extends RuntimeException {

    public enum Reason {
        /** The upload id names no open upload (never begun, committed, aborted or expired). */
        UPLOAD_UNKNOWN,
        /** An append did not start at the upload's current size. */
        OFFSET_MISMATCH,
        /** The committed bytes do not hash to the expected digest. */
        DIGEST_MISMATCH,
        /** The committed bytes are not the expected number. */
        SIZE_MISMATCH,
        /** No committed blob has that digest. */
        BLOB_UNKNOWN,
        /** A requested range lies outside the blob. */
        RANGE_INVALID,
        /** The backend failed (I/O error, S3 error response). */
        BACKEND
    }

    private final Reason reason;

    public BlobStoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BlobStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
