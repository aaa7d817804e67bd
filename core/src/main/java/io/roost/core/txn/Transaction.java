package io.roost.core.txn;

/**
 * A transaction: one {@link TxnOp} stamped by the prepare step with the session and request it
 * came from, its zxid and the leader's time. Applying it is pure: no clock, no randomness.
 *
 * @param sessionId the session that asked for it (0 for system work such as container sweeps)
 * @param cxid the client's xid of the request, for matching the reply
 * @param zxid the transaction id: epoch in the high 32 bits, counter in the low 32
 * @param time milliseconds since the epoch, stamped once when prepared
 * @param op what changes
 */
public record Transaction(long sessionId, int cxid, long zxid, long time, TxnOp op) {

  /** Epoch part of a zxid. */
  public static int epochOf(long zxid) {
    return (int) (zxid >>> 32);
  }

  /** Counter part of a zxid. */
  public static long counterOf(long zxid) {
    return zxid & 0xffffffffL;
  }

  /** Builds a zxid from an epoch and a counter. */
  public static long zxid(int epoch, long counter) {
    return ((long) epoch << 32) | (counter & 0xffffffffL);
  }
}
