package dev.slipway.engine.agent;

/**
 * The worker's side of its stream to the API (docs/worker-protocol.md): parts of the agent hand it messages to
 * send up. A message is any object Jackson serialises to one JSON frame with a {@code "type"} field.
 *
 * <p>Sending never blocks on the network for long and never throws: while the stream is down it returns false
 * and the message is dropped, so a part that must not lose data (log shipping) keeps its own cursor and resends
 * after {@link LogShipping#onConnected()}.
 */
public interface Outbox {

    /** Queues {@code message} on the current connection; false if there is none (the message is dropped). */
    boolean send(Object message);
}
