package dev.slipway.engine.agent;

import java.util.Map;

/**
 * Ships the log records of the instances this worker runs to the API, without losing or repeating a line
 * (docs/worker-protocol.md, message {@code logs} up and {@code logAck} down).
 *
 * <p>Lifecycle: the agent creates one per worker, calls {@link #track} when it has started an instance's container
 * (and again after an engine restart for every instance it adopts), {@link #drain} after stopping it and before
 * removing it (the container's last lines live only in the files the removal deletes), and {@link #untrack}
 * after removing it. While
 * the stream is up ({@link #onConnected} until {@link #onDisconnected}) it sends records through the
 * {@link Outbox}; {@link #onAck} moves its durable cursor, which is kept in the worker's data dir so a restarted
 * engine resends exactly what was not acknowledged. {@link #close} stops it; tracked state stays on disk.
 */
public interface LogShipping extends AutoCloseable {

    void track(String instanceId, String containerId);

    void untrack(String instanceId);

    /**
     * Waits, at most {@code timeout}, until every record of the instance's stopped container is read and
     * acknowledged by the API. Returns whether it got there (false: lines after the last acknowledged one are
     * lost if the container is removed now).
     */
    boolean drain(String instanceId, java.time.Duration timeout) throws InterruptedException;

    /** The API stored every record of each instance up to and including its sequence number. */
    void onAck(Map<String, Long> acknowledgedSeqByInstance);

    /** A (new) stream is up: resend everything after the last acknowledged record, then follow. */
    void onConnected();

    void onDisconnected();

    @Override
    void close();

    /** Ships nothing: for an engine that runs without a platform (plain local Docker API). */
    LogShipping NONE = new LogShipping() {
        @Override
        public void track(String instanceId, String containerId) {
        }

        @Override
        public void untrack(String instanceId) {
        }

        @Override
        public boolean drain(String instanceId, java.time.Duration timeout) {
            return true;
        }

        @Override
        public void onAck(Map<String, Long> acknowledgedSeqByInstance) {
        }

        @Override
        public void onConnected() {
        }

        @Override
        public void onDisconnected() {
        }

        @Override
        public void close() {
        }
    };
}
