package io.roost.core.server;

import java.util.function.LongConsumer;

/**
 * How a leader confirms a read index: the seam between linearizable reads and consensus. The
 * ensemble's driver asks its consensus node for a read index that a quorum confirms (the leader
 * still leads, so its commit point covers every acknowledged write); a standalone server has
 * nobody to ask. Called and answered on the core's thread.
 */
@FunctionalInterface
public interface ReadBarrier {
  /** A server that is the whole ensemble: everything committed is applied here already. */
  ReadBarrier LOCAL = confirmed -> {
    confirmed.accept(0);
    return true;
  };

  /**
   * Asks for a read index. {@code confirmed} later runs once with the zxid a read must see
   * (everything committed before this call), or never, if this server stops leading first (its
   * role change closes the connections waiting).
   *
   * @return false, with {@code confirmed} never run, if no read index can be had now (this
   *     server is not an established leader)
   */
  boolean confirm(LongConsumer confirmed);
}
