package io.roost.core.consensus;

import io.roost.core.state.StateImage;
import io.roost.core.txn.Transaction;
import java.util.List;

/**
 * A change to the server's durable log, to be carried out in the order given. Truncations and
 * snapshot installs must be durable before the driver goes on to the next op; appends may be
 * batched and fsync'd later, and are reported with {@link ConsensusNode#persisted(long)}.
 */
public sealed interface LogOp {

  /** Remove every entry after {@code zxid} (TRUNC). */
  record Truncate(long zxid) implements LogOp {}

  /**
   * Append these entries; once they are durable, call {@code persisted(lastSeq)}.
   *
   * @param txns entries in zxid order
   * @param lastSeq the core's sequence number of the last entry
   */
  record Append(List<Transaction> txns, long lastSeq) implements LogOp {
    /** Copies the list. */
    public Append {
      txns = List.copyOf(txns);
    }
  }

  /**
   * Replace the whole state with this image (SNAP): restore the applied state from it, persist it
   * as a snapshot and drop the whole log. The log starts after {@code image.lastZxid()}.
   */
  record InstallSnapshot(StateImage image) implements LogOp {}
}
