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
 *   <li>act on {@code status}, if not null (e.g. fail pending client writes on leaving LEADING).
 * </ol>
 *
 * @param hardState the new hard state, or null if unchanged
 * @param logOps changes to the log, in order
 * @param committed committed transactions to apply, in zxid order
 * @param messages messages to send
 * @param status the new status, or null if unchanged
 */
public record Ready(HardState hardState, List<LogOp> logOps, List<Transaction> committed,
    List<Envelope> messages, Status status) {

  /** Nothing to do. */
  public static final Ready EMPTY = new Ready(null, List.of(), List.of(), List.of(), null);

  /** True if there is nothing to do. */
  public boolean isEmpty() {
    return hardState == null && logOps.isEmpty() && committed.isEmpty() && messages.isEmpty()
        && status == null;
  }
}
