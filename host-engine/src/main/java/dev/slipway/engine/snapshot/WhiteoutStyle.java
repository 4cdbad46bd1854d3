package dev.slipway.engine.snapshot;

/** How a layer's deletions ({@code .wh.} entries) must be written into a snapshot's writable dir. */
public enum WhiteoutStyle {
    /** As overlayfs expects them: a 0/0 character device per deleted name, {@code trusted.overlay.opaque=y} dirs. */
    OVERLAY,
    /** Applied at once: the writable dir holds the parent's full tree, so deleted names are simply removed. */
    APPLY
}
