package io.roost.recipes;

import io.roost.client.Op;
import io.roost.client.OpResult;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Something this client holds through a node of its session: a lock, a semaphore lease, a
 * leadership. It carries a <b>fencing token</b> and offers <b>guarded writes</b>, so that a
 * holder that lost ownership without knowing it (a long pause, a partition) cannot do harm.
 *
 * <ul>
 *   <li>{@link #fencingToken()} only grows per path: it is the zxid that created the holder's
 *       node, and holders of one path get their nodes in creation order. Hand it to the systems
 *       you write to and have them refuse a token lower than the highest they have seen.
 *   <li>{@link #guardedWrite} runs a multi that first checks the holder's node still exists: once
 *       the session that held it has ended (and with it the ownership), the write fails with
 *       {@code NoNodeException} and changes nothing.
 * </ul>
 */
public interface Ownership {
  /** The fencing token: the zxid that created the holder's node. */
  long fencingToken();

  /** The holder's node (relative to the client's namespace). */
  String nodePath();

  /**
   * This client's view: true from acquisition until release, a SUSPENDED or LOST connection
   * state, or the node's deletion. After SUSPENDED it may become true again on RECONNECTED with
   * the same session. Advisory only; {@link #guardedWrite} is the safe check.
   */
  boolean isHeld();

  /**
   * Runs {@code ops} atomically, only if the holder's node still exists (a check op goes
   * first, so result 0 is its {@code Checked}).
   */
  CompletionStage<List<OpResult>> guardedWrite(List<Op> ops);
}
