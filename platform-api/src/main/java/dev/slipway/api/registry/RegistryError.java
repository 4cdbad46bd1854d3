package dev.slipway.api.registry;

/** The error codes of the OCI distribution spec, each with the HTTP status the registry answers it with. */
public enum RegistryError {
    BLOB_UNKNOWN(404),
    BLOB_UPLOAD_INVALID(400),
    BLOB_UPLOAD_UNKNOWN(404),
    DIGEST_INVALID(400),
    MANIFEST_BLOB_UNKNOWN(400),
    MANIFEST_INVALID(400),
    MANIFEST_UNKNOWN(404),
    NAME_INVALID(400),
    NAME_UNKNOWN(404),
    SIZE_INVALID(400),
    UNAUTHORIZED(401),
    DENIED(403),
    UNSUPPORTED(405),
    TOOMANYREQUESTS(429),
    /** Not in the spec's table, used where the spec prescribes 416 for an out-of-order chunk. */
    RANGE_INVALID(416);

    private final int status;

    RegistryError(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
