package io.roost.core.consensus;

import io.roost.core.txn.Transaction;
import java.util.List;

/**
 * The work an input produced, for the driver to carry out in this order:
 * <ol>
 *   <li>persist {@code hardState} durably, if not null;
 *   <li>carry out {@code logOps} in order (appends may complete later, reported by
 *       {@link ConsensusNode#persisted(long)});
 *   <li>apply {@code committed} to the state, in order, before the next input;
 *   <li>send {@code messages};
 *   <li>serve each of {@code reads} once the state is applied up to its zxid (it is, once
 *       {@code committed} is applied: a read index is never above the commit point);
 *   <li>act on {@code status}, if not null (e.g. fail pending client writes on leaving LEADING).
 * </ol>
 *
 * <p>A status that leaves LEADING also drops every read index not yet confirmed: the driver
 * fails those reads (their clients retry elsewhere).
 *
 * @param hardState the new hard state, or null if unchanged
 * @param logOps changes to the log, in order
 * @param committed committed transactions to apply, in zxid order
 * @param messages messages to send
 * @param status the new status, or null if unchanged
 * @param reads read indexes confirmed by a quorum (see {@link ConsensusNode#readIndex(long)})
 */
public record Ready(HardState hardState, List<LogOp> logOps, List<Transaction> committed,
    List<Envelope> messages, Status status, List<ReadIndex> reads) {

  /** Nothing to do. */
  public static final Ready EMPTY =
      new Ready(null, List.of(), List.of(), List.of(), null, List.of());

  /** True if there is nothing to do. */
  public boolean isEmpty() {
    return hardState == null && logOps.isEmpty() && committed.isEmpty() && messages.isEmpty()
        && status == null && reads.isEmpty();
  }

  /**
   * A confirmed read: a read that starts once the state is applied up to {@code zxid} sees every
   * write committed before {@link ConsensusNode#readIndex(long)} was called with {@code id}.
   */
  public record ReadIndex(long id, long zxid) {}
}
