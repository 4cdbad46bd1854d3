package dev.slipway.engine.archive;

/** A layer entry would write outside its snapshot, through a link, or to a device: the layer is refused. */
public final class UnsafeLayerException extends Exception {
    public UnsafeLayerException(String message) {
        super(message);
    }
}
