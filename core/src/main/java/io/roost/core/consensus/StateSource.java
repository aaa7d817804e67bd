package io.roost.core.consensus;

import io.roost.core.state.StateImage;

/**
 * Gives the leader a copy of the applied state to send a lagging follower (SNAP). The image must
 * reflect exactly the committed transactions the core has handed out so far, all applied.
 */
@FunctionalInterface
public interface StateSource {
  /** A consistent image of the applied state. */
  StateImage image();
}
