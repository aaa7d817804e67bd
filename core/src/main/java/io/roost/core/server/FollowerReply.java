package io.roost.core.server;

/** The leader's direct answers to a follower's {@link LeaderRequest}s. */
public sealed interface FollowerReply {

  /**
   * A forwarded write failed in prepare.
   *
   * @param err the error code for the client
   * @param failedIndex for a multi, the index of the op that failed; -1 otherwise
   */
  record Rejected(long sessionId, int cxid, int err, int failedIndex) implements FollowerReply {}

  /** A sync: the leader had proposed up to {@code zxid}; answer once applied that far. */
  record Synced(long sessionId, int cxid, long zxid) implements FollowerReply {}
}
