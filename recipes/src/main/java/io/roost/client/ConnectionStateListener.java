package io.roost.client;

/**
 * Told about every change of a client's {@link ConnectionState}, in order, on the client's
 * event-loop thread: it must not block.
 */
@FunctionalInterface
public interface ConnectionStateListener {
  /**
   * @param client the client whose state changed
   * @param state the new state
   */
  void stateChanged(RoostClient client, ConnectionState state);
}
